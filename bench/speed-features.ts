/**
 * Speed: feature extraction on the dev corpus (decode included) and re-ranking after one label on a
 * 100-hour-sized synthetic collection. Prints one JSON object.
 * Usage: node --import tsx bench/speed-features.ts [corpus-dir]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFile } from '../src/audio/decode.js';
import { seededRandom } from '../src/domain/seeded-random.js';
import { defaultWorkerCount, extractFeatures } from '../src/audio/features/extract-pool.js';
import { extractWindowFeatures, FEATURE_DIMS, FEATURE_SAMPLE_RATE } from '../src/audio/features/window-features.js';
import { scanMedia } from '../src/audio/scan.js';
import { buildWindowGrid, windowsInFile } from '../src/domain/window-grid.js';
import { LearningSession } from '../src/ml/learning-session.js';
import { quantize } from '../src/ml/quantize.js';
import { parseStrategy } from '../src/ml/strategies.js';

const corpus = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/dev'));
const SYNTHETIC_WINDOWS = 360_000;
const LABELS_BEFORE = 200;
const TIMED_LABELS = 15;

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Whole-collection extraction through the worker pool into an empty cache: what a first `hark label` does. */
async function poolSpeed(workers: number) {
  const { files } = await scanMedia(corpus);
  const grid = buildWindowGrid(files.map((f) => f.duration), 1);
  const cacheDir = mkdtempSync(join(tmpdir(), 'hark-bench-speed-'));
  try {
    const started = performance.now();
    await extractFeatures(files, grid, { cacheDir, workers, onFile: () => {} }).done;
    const seconds = (performance.now() - started) / 1000;
    const audio = files.reduce((s, f) => s + f.duration, 0);
    return { workers, audio_hours: round(audio / 3600, 2), wall_seconds: round(seconds, 2), x_real_time: Math.round(audio / seconds) };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** Decode and extraction measured apart, one file after another on this thread. */
async function stageSpeed() {
  const { files } = await scanMedia(corpus);
  let decode = 0;
  let extract = 0;
  let audio = 0;
  for (const f of files) {
    const t0 = performance.now();
    const samples = await decodeFile(f.abs, FEATURE_SAMPLE_RATE);
    const t1 = performance.now();
    extractWindowFeatures(samples, { windows: windowsInFile(f.duration, 1), clip: 1 });
    extract += performance.now() - t1;
    decode += t1 - t0;
    audio += f.duration;
  }
  return { decode_x_real_time: Math.round(audio / (decode / 1000)), extract_x_real_time: Math.round(audio / (extract / 1000)) };
}

/** Clustered random vectors, standardised-looking and quantized: what the model sees, at 100 hours of 1 s windows. */
function syntheticVectors(count: number, dims: number): Int8Array {
  const rand = seededRandom(1);
  const centres = Array.from({ length: 20 }, () => Float32Array.from({ length: dims }, () => 2 * rand() - 1));
  const out = new Float32Array(count * dims);
  for (let w = 0; w < count; w++) {
    const c = centres[Math.floor(rand() * centres.length)];
    for (let d = 0; d < dims; d++) out[w * dims + d] = c[d] + 0.5 * (rand() - 0.5);
  }
  return quantize(out);
}

function rerankSpeed() {
  const windows = SYNTHETIC_WINDOWS;
  const offsets = Int32Array.from({ length: 101 }, (_, f) => Math.round((f * windows) / 100));
  const rand = seededRandom(2);
  const session = new LearningSession({ offsets, clip: 1, strategy: parseStrategy('mixed'), target: 'A', rand });
  const vectors = syntheticVectors(windows, FEATURE_DIMS);
  const label = () => (rand() < 0.1 ? 'A' : 'B');
  for (let i = 0; i < LABELS_BEFORE; i++) session.addLabel(Math.floor(rand() * windows), label(), 'label', 'random');
  const buildStarted = performance.now();
  session.attachVectors(vectors, FEATURE_DIMS);
  session.buildStep();
  const buildMs = performance.now() - buildStarted;
  session.probabilities();
  const update: number[] = [];
  const rerank: number[] = [];
  const queue: number[] = [];
  for (let i = 0; i < TIMED_LABELS; i++) {
    const [choice] = session.next(1);
    const t0 = performance.now();
    session.addLabel(choice.window, label(), 'label');
    const t1 = performance.now();
    session.probabilities();
    const t2 = performance.now();
    session.next(6);
    const t3 = performance.now();
    update.push(t1 - t0);
    rerank.push(t2 - t1);
    queue.push(t3 - t2);
  }
  const total = update.map((u, i) => u + rerank[i] + queue[i]);
  return {
    windows,
    dims: FEATURE_DIMS,
    labels_before: LABELS_BEFORE,
    build_ms_per_label: round(buildMs / LABELS_BEFORE),
    median_ms: { update_neighbours: round(update.reduce((a, b) => a + b) / update.length), probabilities: round(median(rerank)), next_6_clips: round(median(queue)), total: round(median(total)) },
    max_total_ms: round(Math.max(...total)),
  };
}

const result = {
  corpus,
  cores: availableParallelism(),
  extraction: {
    pool_default_workers: await poolSpeed(defaultWorkerCount()),
    pool_one_worker_per_core: await poolSpeed(availableParallelism()),
    stages_one_thread: await stageSpeed(),
  },
  rerank_after_one_label: rerankSpeed(),
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
