import { parentPort, workerData } from 'node:worker_threads';
import { seededRandom } from '../domain/seeded-random.js';
import { collectionVectors, type PartialVectors } from '../audio/features/collection-vectors.js';
import { buildWindowGrid } from '../domain/window-grid.js';
import { LearningSession, recordedDraw } from '../ml/learning-session.js';
import { parseStrategy } from '../ml/strategies.js';
import { runInBackground } from '../threads/thread-priority.js';
import { initialStatus, type LearnerReply, type LearnerRequest, type LearnerSetup, type LearnerStatus } from './learner-protocol.js';

runInBackground();

/** The learner's own thread: it owns the feature vectors and the model, so the UI thread never waits on them. */
const port = parentPort!;
const setup = workerData as LearnerSetup;
const grid = buildWindowGrid(setup.files.map((f) => f.duration), setup.clip);
const session = new LearningSession({
  offsets: grid.offsets,
  clip: setup.clip,
  strategy: parseStrategy(setup.strategy),
  target: setup.target,
  rand: seededRandom(setup.seed),
  onSampled: (window) => send({ type: 'sampled', window }),
});
for (const d of setup.decisions) session.addLabel(d.window, d.label, d.kind, d.how, d.sampled, recordedDraw(d));

/**
 * Longest stretch the model build runs before letting queued requests through. Short, because a rebuild with a
 * newly learned metric runs while the user labels, and a request for the next clips waits this long at worst.
 */
const BUILD_SLICE_MS = 15;

const status: LearnerStatus = { ...initialStatus(setup.files, setup.target), remaining: session.remaining };
const stopExtraction = new AbortController();

function send(reply: LearnerReply): void {
  port.postMessage(reply);
}

/** The estimate being computed in slices, dropped when the labels change before it is done. */
let estimating: { dropped: boolean } | undefined;

/**
 * Sends the status. The recall estimate is hark stats' (the model fitted to every label), which on many labels takes
 * longer than a key press may wait: it is computed in slices between requests, and the status sent again when done.
 */
function publish(): void {
  status.ready = session.ready;
  status.modelVersion = session.modelVersion;
  status.remaining = session.remaining;
  if (estimating) estimating.dropped = true;
  const job = { dropped: false };
  estimating = job;
  const steps = session.estimateSteps(setup.recallGoal);
  const slice = (first: boolean) => {
    if (job.dropped) return;
    const started = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) {
        status.estimate = step.value;
        estimating = undefined;
        return send({ type: 'status', status });
      }
      if (performance.now() - started > BUILD_SLICE_MS) break;
    }
    if (first) send({ type: 'status', status });
    setImmediate(() => slice(false));
  };
  slice(true);
}

/** Runs a change to the labels and, once there is a model, times the update and re-ranking. */
function retrain(change: () => void): void {
  const started = performance.now();
  change();
  if (session.ready) {
    session.probabilities();
    status.lastRetrain = { at: new Date().toISOString(), ms: Math.round(performance.now() - started) };
  }
  publish();
}

function start(): void {
  const onProgress = (p: LearnerStatus['extraction']) => {
    status.extraction = p;
    send({ type: 'status', status });
  };
  const onPartial = ({ vectors, dims, known, share }: PartialVectors) => {
    status.coverage = share;
    session.attachVectors(vectors, dims, known);
    buildModel();
  };
  collectionVectors(setup.files, grid, {
    cacheDir: setup.cacheDir,
    onProgress,
    onPartial,
    partialAfterMs: setup.partialAfterMs,
    signal: stopExtraction.signal,
  }).then(
    ({ vectors, dims, failed }) => {
      status.failed = [...failed].map(([f, reason]) => ({ path: setup.files[f].path, reason }));
      status.coverage = undefined;
      session.attachVectors(vectors, dims);
      buildModel();
    },
    (err: Error) => {
      if (stopExtraction.signal.aborted) return;
      status.error = `Feature extraction failed: ${err.message}`;
      publish();
    },
  );
}

let building = false;

/** Feeds the waiting labels to the model in slices; vectors attached again meanwhile just lengthen the work. */
function buildModel(): void {
  if (building) return;
  building = true;
  const slice = () => {
    const started = performance.now();
    while (performance.now() - started < BUILD_SLICE_MS) {
      if (session.buildStep(1)) {
        building = false;
        return retrain(() => {});
      }
    }
    setImmediate(slice);
  };
  slice();
}

port.on('message', (msg: LearnerRequest) => {
  switch (msg.type) {
    case 'start':
      return start();
    case 'label':
      retrain(() => session.addLabel(msg.window, msg.label, msg.kind, msg.how));
      if (session.relearnIfDue()) buildModel();
      return;
    case 'unlabel':
      return retrain(() => session.removeLabel(msg.window));
    case 'target':
      session.setTarget(msg.label);
      status.target = msg.label;
      return retrain(() => {});
    case 'next':
      return send({ type: 'choices', id: msg.id, choices: session.next(msg.count, new Set(msg.exclude)) });
    case 'similar':
      return send({ type: 'choices', id: msg.id, choices: session.similar(msg.window, msg.count, new Set(msg.exclude)) });
    case 'close':
      stopExtraction.abort();
      port.close();
  }
});
