import { parentPort, workerData } from 'node:worker_threads';
import { seededRandom } from '../domain/seeded-random.js';
import { cachedWindowRows, collectionVectors, type PartialVectors } from '../audio/features/collection-vectors.js';
import { standardisedRows } from '../collection/examples.js';
import { buildWindowGrid } from '../domain/window-grid.js';
import { LearningSession, recordedDraw } from '../ml/learning-session.js';
import type { LabelSet } from '../ml/label-sets.js';
import type { FeatureStats } from '../ml/z-score.js';
import { parseStrategy } from '../ml/strategies.js';
import { choicesInCollection, inSession, sessionWindows } from './session-windows.js';
import { EstimatePacer } from './estimate-pacer.js';
import { initialStatus, type LearnerReply, type LearnerRequest, type LearnerSetup, type LearnerStatus } from './learner-protocol.js';

/**
 * The learner's own thread: it owns the feature vectors and the model, so the UI thread never waits on them. It runs
 * at normal priority, unlike extraction: it answers the request for the next clips that a key waits on, and niced it
 * lost the CPU to the screen's thread even with a core free (next clip after a key at 1,000 hours: p90 357 ms, at
 * most 715, against 37-65 and 84 at normal priority, where keys were answered within 84 ms too).
 */
const port = parentPort!;
const setup = workerData as LearnerSetup;
const grid = buildWindowGrid(setup.files.map((f) => f.duration), setup.clip);
const windows = sessionWindows(grid.offsets, setup.pool);
const session = new LearningSession({
  offsets: windows.offsets,
  clip: setup.clip,
  population: windows.population,
  labelsWaitForBuild: true,
  strategy: parseStrategy(setup.strategy),
  target: setup.target,
  rand: seededRandom(setup.seed),
  onSampled: (window) => send({ type: 'sampled', window: windows.toCollection(window) }),
});
for (const d of setup.decisions) {
  const window = windows.toSession(d.window);
  if (window >= 0) session.addLabel(window, d.labels, d.kind, d.how, d.sampled, recordedDraw(d));
}
// a moment outside a large collection's pool has no vector here: it is saved, but only the pool's clips guide the model
for (const w of setup.examples?.windows ?? []) {
  const window = windows.toSession(w);
  if (window >= 0) session.addExample(window);
}

/**
 * Longest stretch the model build runs before letting queued requests through. Short, because labels are taken in
 * and the index rebuilt with a newly learned metric while the user labels, and a request for the next clips waits
 * this long at worst.
 */
const BUILD_SLICE_MS = 15;
/**
 * Windows one build step passes over: 15-30 ms while a label joins a million windows with few labels yet (each row
 * is measured in full), so a request for clips waits about one slice; 65,536 took 70-200 ms.
 */
const BUILD_STEP_ROWS = 1 << 14;

const status: LearnerStatus = {
  ...initialStatus(setup.files, setup.target),
  remaining: session.remaining,
  pool: setup.pool && { windows: windows.count, population: windows.population },
};
const stopExtraction = new AbortController();

function send(reply: LearnerReply): void {
  port.postMessage(reply);
}

const ESTIMATE_AFTER_MS = 400;
/**
 * The recall estimate (hark stats', the model fitted to every label), computed in slices between requests once the
 * labels have paused for ESTIMATE_AFTER_MS, and at a pace (EstimatePacer): near the end of a large collection it
 * takes seconds.
 */
const estimate = new EstimatePacer(
  () => session.estimateSteps(setup.recallGoal),
  (value) => {
    status.estimate = value;
    status.estimatedAt = new Date().toISOString();
    status.estimateStaleSince = staleSince();
    send({ type: 'status', status });
  },
  { sliceMs: BUILD_SLICE_MS, quietMs: ESTIMATE_AFTER_MS, restFactor: 2 },
);

/** Sends the status with the model as it is now; the recall estimate follows when it has been computed again. */
function publish(): void {
  status.ready = session.ready;
  status.modelVersion = session.modelVersion;
  status.remaining = session.remaining;
  estimate.changed();
  status.estimateStaleSince = staleSince();
  send({ type: 'status', status });
}

function staleSince(): string | undefined {
  const since = estimate.staleSince;
  return since === undefined ? undefined : new Date(since).toISOString();
}

/** When the oldest label the model has not taken in yet arrived: the re-rank after it is timed from then. */
let waitingSince: number | undefined;

/**
 * Runs a change to the labels and, once there is a model, re-ranks and times it: from the oldest label still waiting
 * for the build, which other requests may have interleaved with.
 */
function retrain(change: () => void): void {
  const started = waitingSince ?? performance.now();
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
    attached = true;
    buildModel();
  };
  collectionVectors(setup.files, grid, {
    cacheDir: setup.cacheDir,
    onProgress,
    onPartial,
    partialAfterMs: setup.partialAfterMs,
    pool: setup.pool,
    signal: stopExtraction.signal,
  }).then(
    async ({ vectors, dims, failed, standard }) => {
      // rows that are no window of this session are standardised with the collection's statistics, known only now;
      // an unreadable cache entry costs those labels' lesson, not the session
      const outsidePool = await labeledOutsidePool(standard).catch(() => undefined);
      status.failed = [...failed].map(([f, reason]) => ({ path: setup.files[f].path, reason }));
      status.coverage = undefined;
      session.attachVectors(vectors, dims);
      attached = true;
      status.ready = session.ready; // a partial model said ready; this one is until it is built
      if (outsidePool) session.addOutsideLabels(outsidePool.rows, outsidePool.labels);
      for (const raw of setup.examples?.outside ?? []) session.addOutsideExample(standardisedRows(raw, standard));
      buildModel();
    },
    (err: Error) => {
      if (stopExtraction.signal.aborted) return;
      status.error = `Feature extraction failed: ${err.message}`;
      publish();
    },
  );
}

/** The clips labeled outside a large collection's pool, with their vectors from the feature cache: they teach the model too. */
async function labeledOutsidePool(standard: FeatureStats): Promise<{ rows: Int8Array; labels: LabelSet[] } | undefined> {
  const labelOf = new Map<number, LabelSet>();
  for (const d of setup.decisions) {
    if (windows.toSession(d.window) >= 0) continue;
    if (d.kind === 'label') labelOf.set(d.window, d.labels);
    else labelOf.delete(d.window);
  }
  if (labelOf.size === 0) return undefined;
  const read = await cachedWindowRows(setup.files, grid, setup.cacheDir, [...labelOf.keys()]);
  if (read.windows.length === 0) return undefined;
  return { rows: standardisedRows(read.raw, standard), labels: read.windows.map((w) => labelOf.get(w)!) };
}

let building = false;
/** vectors are attached: there is an index for labels to join */
let attached = false;

/** Feeds the waiting labels to the model in slices; vectors attached again meanwhile just lengthen the work. */
function buildModel(): void {
  if (building) return;
  building = true;
  const slice = () => {
    const started = performance.now();
    while (performance.now() - started < BUILD_SLICE_MS) {
      if (session.buildRows(BUILD_STEP_ROWS)) {
        building = false;
        retrain(() => {});
        waitingSince = undefined;
        return;
      }
      // the model ranks once the rows of the unlabeled windows are in: shown while the labeled ones are filled
      if (session.ready && !status.ready) retrain(() => {});
    }
    setImmediate(slice);
  };
  slice();
}

port.on('message', (msg: LearnerRequest) => {
  // a window outside the pool has no vector here: a label on one made now is kept in the store and apply's model, and
  // teaches the labeler from its next start
  const window = 'window' in msg ? windows.toSession(msg.window) : -1;
  switch (msg.type) {
    case 'start':
      return start();
    case 'label':
      if (window < 0) return;
      // the label waits for the build, in slices between requests: the next clips never wait for a whole pass
      session.addLabel(window, msg.label, msg.kind, msg.how);
      session.relearnIfDue();
      publish();
      if (!attached) return;
      waitingSince ??= performance.now();
      return buildModel();
    case 'unlabel':
      if (window < 0) return;
      return retrain(() => session.removeLabel(window));
    case 'target': {
      status.target = msg.label;
      status.estimate = undefined;
      estimate.restart();
      const relearning = session.setTarget(msg.label);
      retrain(() => {});
      // the metric is learned again for a target with its own, in slices as a label's pass; it ranks meanwhile
      if (relearning && attached) buildModel();
      return;
    }
    case 'next':
      return send({ type: 'choices', id: msg.id, choices: choicesInCollection(windows, session.next(msg.count, inSession(windows, msg.exclude))) });
    case 'similar': {
      const similar = window < 0 ? [] : session.similar(window, msg.count, inSession(windows, msg.exclude));
      return send({ type: 'choices', id: msg.id, choices: choicesInCollection(windows, similar) });
    }
    case 'close':
      stopExtraction.abort();
      estimate.stop();
      port.close();
  }
});
