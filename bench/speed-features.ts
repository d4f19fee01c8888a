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
import { defaultWorkerCount, extractFeatures } from '../src/audio/features/extract-pool.js';
import { extractWindowFeatures, FEATURE_DIMS, FEATURE_SAMPLE_RATE } from '../src/audio/features/window-features.js';
import { scanMedia } from '../src/audio/scan.js';
import { buildWindowGrid, windowsInFile } from '../src/domain/window-grid.js';
import { rerankSpeed } from './_rerank-speed.js';

const corpus = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/dev'));
const SYNTHETIC_WINDOWS = 360_000;

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

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

const result = {
  corpus,
  cores: availableParallelism(),
  extraction: {
    pool_default_workers: await poolSpeed(defaultWorkerCount()),
    pool_one_worker_per_core: await poolSpeed(availableParallelism()),
    stages_one_thread: await stageSpeed(),
  },
  rerank_after_one_label: rerankSpeed(SYNTHETIC_WINDOWS, FEATURE_DIMS),
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
