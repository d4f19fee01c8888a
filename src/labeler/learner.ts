import type { Worker } from 'node:worker_threads';
import { seededRandom } from '../domain/seeded-random.js';
import type { Examples } from '../collection/examples.js';
import { priorDecisions, type Collection } from '../collection/open-collection.js';
import type { Choice } from '../ml/choice.js';
import { LearningSession, recordedDraw } from '../ml/learning-session.js';
import { type DecisionKind } from '../domain/labels.js';
import type { LabelSet } from '../ml/label-sets.js';
import { DEFAULT_RECALL_GOAL } from '../ml/recall-estimate.js';
import { parseStrategy } from '../ml/strategies.js';
import { siblingScript, startWorker } from '../threads/start-worker.js';
import { featureCacheDir } from '../store/feature-cache.js';
import { workerRequests } from '../threads/request-reply.js';
import { choicesInCollection, inSession, sessionWindows } from './session-windows.js';
import type { WindowPool } from '../domain/window-pool.js';
import { initialStatus, type ChoicesReply, type LearnerEvent, type LearnerQuestion, type LearnerRequest, type LearnerSetup, type LearnerStatus } from './learner-protocol.js';

export type { LearnerStatus } from './learner-protocol.js';
export type { Choice } from '../ml/choice.js';

export interface Learner {
  /** begins feature extraction in the background */
  start(): void;
  /** progress, model version, last retrain time, recall estimate; returns an unsubscribe function */
  onUpdate(cb: (s: LearnerStatus) => void): () => void;
  /** `how` defaults to how the learner chose the clip ('manual' for a clip it never offered) */
  /** `label`: every label of the clip when it holds more than one sound */
  addLabel(window: number, label: LabelSet, kind: DecisionKind, how?: string): void;
  /** takes a decision back (undo) */
  removeLabel(window: number): void;
  setTarget(label: string | undefined): void;
  /** the next clips for the queue, none in `exclude`; random draws until the model is ready */
  next(count: number, exclude: Set<number>): Promise<Choice[]>;
  /** undecided clips most like `window`, none in `exclude`; none until the model is ready */
  similar(window: number, count: number, exclude?: Set<number>): Promise<Choice[]>;
  close(): Promise<void>;
}

export interface LearnerOptions {
  collection: Collection;
  /** 'mixed' (default), 'random', 'likely', 'uncertain' or shares like 'likely:0.5,random:0.4,uncertain:0.1' */
  strategy?: string;
  seed?: number;
  target?: string;
  /** share of the target windows the user wants found; default 0.9 */
  recallGoal?: number;
  /** how long extraction runs before the model ranks the files done so far; default 5 s */
  partialAfterMs?: number;
  /** a large collection's pool (labeling-pool.ts): the learner ranks only its windows */
  pool?: WindowPool;
  /** examples of the target (hark label --example), the moments among them already saved as labels */
  examples?: Examples;
  /** a random draw landed on this decided window: its answer joins the random sample; the store's owner saves that */
  onSampled?: (window: number) => void;
}

const CLOSE_TIMEOUT_MS = 3000;

/** The background service behind the labeling screen: a facade that talks to a thread owning features and model. */
export function createLearner(opts: LearnerOptions): Learner {
  const { collection } = opts;
  const strategy = parseStrategy(opts.strategy).name;
  const setup: LearnerSetup = {
    files: collection.files,
    clip: collection.grid.clip,
    cacheDir: featureCacheDir(collection.store.dir),
    strategy,
    seed: opts.seed ?? Date.now(),
    target: opts.target,
    recallGoal: opts.recallGoal ?? DEFAULT_RECALL_GOAL,
    decisions: priorDecisions(collection),
    examples: opts.examples,
    partialAfterMs: opts.partialAfterMs,
    pool: opts.pool,
  };
  const worker: Worker = startWorker(siblingScript('learner-worker', import.meta.url), { workerData: setup });
  // random draws kept in step with every decision, to answer from if the learner thread dies
  const windows = sessionWindows(collection.grid.offsets, opts.pool);
  const fallback = new LearningSession({ offsets: windows.offsets, clip: setup.clip, strategy: parseStrategy('random'), rand: seededRandom(setup.seed) });
  /** runs a decision on the fallback, for a window in its pool */
  const inFallback = (window: number, change: (w: number) => void) => {
    const w = windows.toSession(window);
    if (w >= 0) change(w);
  };
  for (const d of setup.decisions) inFallback(d.window, (w) => fallback.addLabel(w, d.labels, d.kind, d.how, d.sampled, recordedDraw(d)));
  const listeners = new Set<(s: LearnerStatus) => void>();
  const exit = new Promise<void>((resolve) => worker.on('exit', () => resolve()));

  let last = initialStatus(collection.files, opts.target);
  const requests = workerRequests<LearnerQuestion, ChoicesReply, LearnerEvent>(worker, {
    onEvent(event) {
      if (event.type === 'status') {
        last = event.status;
        listeners.forEach((cb) => cb(last));
      } else {
        inFallback(event.window, (w) => fallback.joinRandomSample(w));
        opts.onSampled?.(event.window);
      }
    },
  });
  worker.on('error', (err) => {
    last = { ...last, ready: false, error: `The learner stopped: ${err.message}` };
    listeners.forEach((cb) => cb(last));
  });

  const post = (msg: LearnerRequest) => {
    if (!requests.stopped) worker.postMessage(msg);
  };
  /** the thread's answer; random draws from here if it has stopped */
  const ask = async (msg: LearnerQuestion): Promise<Choice[]> => {
    const fromHere = () => (msg.type === 'next' ? choicesInCollection(windows, fallback.next(msg.count, inSession(windows, msg.exclude))) : []);
    if (requests.stopped) return fromHere();
    return requests.ask(msg).then((reply) => reply.choices, fromHere);
  };

  return {
    start: () => post({ type: 'start' }),
    onUpdate(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    addLabel(window, label, kind, how) {
      inFallback(window, (w) => fallback.addLabel(w, label, kind, how));
      post({ type: 'label', window, label, kind, how });
    },
    removeLabel(window) {
      inFallback(window, (w) => fallback.removeLabel(w));
      post({ type: 'unlabel', window });
    },
    setTarget: (label) => post({ type: 'target', label }),
    next: (count, exclude) => ask({ type: 'next', count, exclude: [...exclude] }),
    similar: (window, count, exclude = new Set()) => ask({ type: 'similar', window, count, exclude: [...exclude] }),
    async close() {
      post({ type: 'close' });
      const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    },
  };
}
