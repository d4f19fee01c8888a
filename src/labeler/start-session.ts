import { buildKeyMap } from '../app/keymap.js';
import { initialSession, type Clip } from '../app/session.js';
import { createClipLoader } from '../audio/clip-loader.js';
import { startDecoder } from '../audio/decoder.js';
import type { Player } from '../audio/player/types.js';
import { recordWindows, type Collection } from '../collection/open-collection.js';
import type { Examples } from '../collection/examples.js';
import type { KeyMap, KeyMapProblem } from '../app/keymap.js';
import { labelsOf, type LabelDef } from '../domain/labels.js';
import { applyInBackground, reviewClipsOf } from './apply-in-background.js';
import { createLearner, type LearnerStatus } from './learner.js';
import { learnerClipSource } from './learner-source.js';
import { saveSampled } from './save-sampled.js';
import { SessionController } from './session-controller.js';
import { DEFAULT_OVERLAP, withOverlap } from './overlap-source.js';
import { teamLine, type TeamMember } from '../format/team-line.js';
import { activeWriters, MAIN_WRITER } from '../store/label-store.js';
import { seededRandom } from '../domain/seeded-random.js';
import type { WindowPool } from '../domain/window-pool.js';
import type { LabelRecord } from '../domain/labels.js';
import { disagreements } from '../ml/agreement.js';
import { ADJUDICATED, clipKey, codingsOf } from '../store/stats.js';

/** A labeling session wired and running, as the screen needs it. */
export interface ReadySession {
  controller: SessionController;
  keymap: KeyMap;
  /** the store's key remaps that name no command, left out of the keymap */
  keyProblems: KeyMapProblem[];
  labels: LabelDef[];
  /** the background learner's status */
  modelStatus: { subscribe(cb: () => void): () => void; get(): LearnerStatus | undefined };
  close(): Promise<void>;
}

const TEAM_REFRESH_MS = 1500;

/** Every annotator with labels in the store or labeling in it now, with their label counts. */
function teamMembers(records: readonly LabelRecord[], active: readonly string[]): TeamMember[] {
  const labels = new Map<string, number>(active.filter((a) => a !== MAIN_WRITER).map((a) => [a, 0]));
  for (const r of records) if (r.kind === 'label') labels.set(r.annotator, (labels.get(r.annotator) ?? 0) + 1);
  return [...labels].map(([name, n]) => ({ name, labels: n, active: active.includes(name) }));
}

/** Puts the clips annotators labeled differently (and nobody settled yet) first in the queue, saying who said what. */
function reviewDisagreements(collection: Collection, windowOf: (r: LabelRecord) => number, controller: SessionController): void {
  const { store, grid } = collection;
  const settled = new Set(store.records.filter((r) => r.how === ADJUDICATED).map(clipKey));
  const recordOf = new Map(store.records.map((r) => [clipKey(r), r]));
  const clips: Clip[] = [];
  for (const { item, labels } of disagreements(codingsOf(store.records))) {
    const r = recordOf.get(item)!;
    const window = windowOf(r);
    if (window < 0 || settled.has(item)) continue;
    const said = [...labels].map(([who, label]) => `${who} ${label}`).join(' · ');
    clips.push({ window, file: r.file, start: grid.startOf(window), duration: grid.durationOf(window), how: ADJUDICATED, reason: `disagreement: ${said}` });
  }
  const text = clips.length ? `next: ${clips.length} clips annotators labeled differently; your label settles each` : 'no disagreements to settle';
  if (clips.length) controller.dispatch({ type: 'clips', clips, front: true });
  controller.dispatch({ type: 'message', message: { text, level: 'info' } });
}

/** Clips other annotators decided and `me` has not: what an agreement check may show. */
function othersOnlyClips(collection: Collection, windowOf: (r: LabelRecord) => number, me: string): Clip[] {
  const mine = new Set<number>();
  const theirs = new Map<number, LabelRecord>();
  for (const r of collection.store.records) {
    const window = windowOf(r);
    if (window < 0 || r.kind !== 'label') continue;
    if (r.annotator === me) mine.add(window);
    else theirs.set(window, r);
  }
  const { grid, files } = collection;
  return [...theirs.keys()]
    .filter((w) => !mine.has(w))
    .map((window) => ({ window, file: files[grid.fileOf(window)].path, start: grid.startOf(window), duration: grid.durationOf(window), how: 'overlap', reason: 'agreement check' }));
}

export interface SessionOptions {
  /** a large collection's pool (labeling-pool.ts): the learner ranks only its windows */
  pool?: WindowPool;
  seed?: number;
  /** 'mixed' (default), 'random', 'likely', 'uncertain' or shares like 'likely:0.5,random:0.4,uncertain:0.1' */
  strategy?: string;
  /** share of random draws that are clips another annotator labeled, for measuring agreement; default 0.05 */
  overlap?: number;
  /** 'disagreements': first the clips annotators labeled differently; the label given now settles them */
  review?: 'disagreements';
  /** clips to label before any the model chooses (hark label --from-search), and a line about them */
  firstClips?: { clips: Clip[]; message: string };
  /** examples of the target (hark label --example), the moments among them saved as labels: their nearest clips come first */
  examples?: Examples;
  onExit: () => void;
}

/** Wires a labeling session for a collection whose store knows its labels: keys, queue, learner, audio, player. */
export function startSession(collection: Collection, player: Player, opts: SessionOptions): ReadySession {
  const { store, files } = collection;
  const config = store.config;
  const { keymap, problems: keyProblems } = buildKeyMap(config.labels.map((l) => l.key), config.keys);
  const counts: Record<string, number> = {};
  for (const r of store.records) for (const label of labelsOf(r)) counts[label] = (counts[label] ?? 0) + 1;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const decoder = startDecoder();
  const loader = createClipLoader(collection.settings.context, 8, decoder.decode);
  // the store's one owner in this process: the screen's saves and the learner's events both reach it here
  const windowOf = recordWindows(collection);
  const onSampled = saveSampled(store, windowOf);
  const learner = createLearner({ collection, pool: opts.pool, strategy: opts.strategy, seed: opts.seed, target: config.target, examples: opts.examples, onSampled });
  const annotator = store.annotator ?? collection.settings.annotator;
  const source = withOverlap(learnerClipSource(collection, learner), {
    share: store.annotator ? (opts.overlap ?? DEFAULT_OVERLAP) : 0,
    rand: seededRandom((opts.seed ?? Date.now()) + 1),
    candidates: () => othersOnlyClips(collection, windowOf, annotator),
  });
  const apply = applyInBackground(store.dir, { durations: new Map(files.map((f) => [f.path, f.duration])), width: () => (process.stdout.columns ?? 80) - 2 });
  const controller = new SessionController(initialSession(config.labels, counts, Date.now(), config.target), {
    store,
    player,
    source,
    loadAudio: loader.load,
    fileInfo: (file) => byPath.get(file),
    annotator,
    onExit: opts.onExit,
    applyModel: (target) => featuresExtracted().then(() => apply.run(target)),
    reviewClips: reviewClipsOf(collection),
  });
  if (opts.firstClips) {
    controller.dispatch({ type: 'clips', clips: opts.firstClips.clips, front: true });
    controller.dispatch({ type: 'message', message: { text: opts.firstClips.message, level: 'info' } });
  }
  let status: LearnerStatus | undefined;
  learner.onUpdate((s) => (status = s));
  const modelStatus = {
    subscribe: (cb: () => void) => learner.onUpdate(() => cb()),
    get: () => status,
  };
  const extracted = (s: LearnerStatus | undefined) => s !== undefined && (s.error !== undefined || s.extraction.filesDone >= s.extraction.filesTotal);
  // apply reads the features the learner extracts from the cache: started before they are all there, it would
  // extract the rest a second time beside the learner
  const featuresExtracted = () =>
    new Promise<void>((resolve) => {
      if (extracted(status)) return resolve();
      const off = learner.onUpdate((s) => {
        if (!extracted(s)) return;
        off();
        resolve();
      });
    });
  if (opts.review === 'disagreements') reviewDisagreements(collection, windowOf, controller);
  learner.start();
  const showTeam = () => controller.setTeam(teamLine(teamMembers(store.records, activeWriters(store.dir)), annotator));
  showTeam();
  const stopFollowing = store.follow((change) => {
    const windows: number[] = [];
    for (const r of change.added) {
      const window = windowOf(r);
      if (window < 0) continue;
      learner.addLabel(window, labelsOf(r), r.kind, r.how);
      windows.push(window);
    }
    const labels = change.added.flatMap(labelsOf);
    if (labels.length) controller.dispatch({ type: 'decided-elsewhere', windows, labels });
    for (const r of change.retracted) {
      const window = windowOf(r);
      if (window >= 0 && !store.records.some((other) => windowOf(other) === window)) learner.removeLabel(window);
    }
    showTeam();
  });
  const teamTimer = setInterval(showTeam, TEAM_REFRESH_MS); // who starts or stops labeling, without a label saved
  teamTimer.unref();
  return { controller, keymap, keyProblems, labels: config.labels, modelStatus, close: async () => {
      clearInterval(teamTimer);
      stopFollowing();
      apply.stop();
      await Promise.all([learner.close(), decoder.close()]);
      await store.settled();
    },
  };
}
