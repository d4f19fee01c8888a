import { seededRandom } from '../src/domain/seeded-random.js';
import { LearningSession } from '../src/ml/learning-session.js';
import { quantize } from '../src/ml/quantize.js';
import { parseStrategy } from '../src/ml/strategies.js';

/** Labels made before the timed ones: past RELEARN_FROM, so the learned metric is measured beside the vectors. */
const LABELS_BEFORE = 200;
const TIMED_LABELS = 20;
const CLUSTERS = 20;
/** clusters 0 and 1 are the target: about a tenth of the windows */
const TARGET_CLUSTERS = 2;

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Clustered random vectors, standardised-looking and quantized, and each window's cluster: what the model sees. */
function syntheticCollection(count: number, dims: number): { vectors: Int8Array; cluster: Uint8Array } {
  const rand = seededRandom(1);
  const centres = Array.from({ length: CLUSTERS }, () => Float32Array.from({ length: dims }, () => 2 * rand() - 1));
  const out = new Float32Array(count * dims);
  const cluster = new Uint8Array(count);
  for (let w = 0; w < count; w++) {
    cluster[w] = Math.floor(rand() * CLUSTERS);
    const c = centres[cluster[w]];
    for (let d = 0; d < dims; d++) out[w * dims + d] = c[d] + 0.5 * (rand() - 0.5);
  }
  return { vectors: quantize(out), cluster };
}

/**
 * The work after one label on `windows` windows of `dims` values, as the labeler's learner does it, each part timed:
 * the label joins the index (one pass over the windows), every window's probability, and the next 6 clips. Labels
 * answer from the clusters (with 5% mistakes), and the metric is learned from the labels before the timed ones; the
 * labeler relearns it in the background while it ranks with the model from before, so that is not timed here.
 */
export function rerankSpeed(windows: number, dims: number) {
  const offsets = Int32Array.from({ length: 101 }, (_, f) => Math.round((f * windows) / 100));
  const rand = seededRandom(2);
  const session = new LearningSession({ offsets, clip: 1, strategy: parseStrategy('mixed'), target: 'A', rand });
  const { vectors, cluster } = syntheticCollection(windows, dims);
  const label = (w: number) => ((cluster[w] < TARGET_CLUSTERS) !== rand() < 0.05 ? 'A' : `B${cluster[w] % 4}`);
  for (let i = 0; i < LABELS_BEFORE; i++) {
    const w = Math.floor(rand() * windows);
    session.addLabel(w, label(w), 'label', 'random');
  }
  const buildStarted = performance.now();
  session.attachVectors(vectors, dims);
  while (!session.buildStep());
  if (session.relearn()) while (!session.buildStep());
  const buildMs = performance.now() - buildStarted;
  session.probabilities();
  const parts = { add_to_index: [] as number[], probabilities: [] as number[], next_6_clips: [] as number[], total: [] as number[] };
  for (let i = 0; i < TIMED_LABELS; i++) {
    const [choice] = session.next(1);
    const t0 = performance.now();
    session.addLabel(choice.window, label(choice.window), 'label');
    while (!session.buildStep());
    const t1 = performance.now();
    session.probabilities();
    const t2 = performance.now();
    session.next(6);
    const t3 = performance.now();
    parts.add_to_index.push(t1 - t0);
    parts.probabilities.push(t2 - t1);
    parts.next_6_clips.push(t3 - t2);
    parts.total.push(t3 - t0);
  }
  return {
    windows,
    dims,
    labels_before: LABELS_BEFORE,
    timed_labels: TIMED_LABELS,
    build_ms: Math.round(buildMs),
    median_ms: Object.fromEntries(Object.entries(parts).map(([k, xs]) => [k, round(median(xs))])),
    max_total_ms: round(Math.max(...parts.total)),
  };
}
