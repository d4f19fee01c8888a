/**
 * The labeler on a 100-hour collection (360,000 one-second windows; HARK_BENCH_HOURS=1000 or 10000 for another size,
 * in recordings of at most 10 hours; HARK_BENCH_POOL for another pool setting than the labeler's default):
 * keypress-to-screen latency while the model retrains after every label, the time from a key to the next clip on
 * screen, the re-rank time after a label and the time to the model being shown (in this process, rendered by Ink as
 * `hark label` renders it, into a fake terminal), and the peak memory and time to the model shown of the built
 * `hark label` in a real terminal (tmux) doing the same. The recordings are sparse WAV files (silence) and their
 * feature vectors are written straight into the cache as random clusters, so no hour of audio is decoded here.
 * Above the pool setting only the pool's rows are written (the labeler reads no others; the rest of each cache file
 * is a hole), which keeps 10,000 hours (36 million windows) to a few minutes of preparation.
 * HARK_BENCH_LABELED=N starts from a store where an earlier session labeled N windows: near the end of a collection
 * (HARK_BENCH_HOURS=4.65 HARK_BENCH_LABELED=16000 is issue 17's 16,000 labels on 16,740 clips).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { createElement } from 'react';
import { seededRandom } from '../src/domain/seeded-random.js';
import { FEATURE_DIMS, FEATURE_VERSION } from '../src/audio/features/window-features.js';
import { createPlayer } from '../src/audio/player/index.js';
import { openCollection, type Collection } from '../src/collection/open-collection.js';
import { labelDefs } from '../src/commands/label.js';
import { labelingPool } from '../src/collection/labeling-pool.js';
import { featureCacheDir, featureCacheFile, headerOf, type FeatureKey } from '../src/store/feature-cache.js';
import { App } from '../src/ui/app.js';
import { SCREEN_RENDER_OPTIONS } from '../src/ui/render-options.js';
import { keepScreenLinesAcrossFrames } from '../src/ui/ink-line-cache.js';
import { startSession } from '../src/labeler/start-session.js';
import { childrenOf, peakRssMb } from '../test/helpers/process-tree.js';
import { TmuxTerminal } from '../test/helpers/tmux.js';
import { waitUntil, within } from '../test/helpers/wait.js';
import { wavHeader } from '../test/helpers/wav-header.js';

const HOURS = Number(process.env.HARK_BENCH_HOURS ?? 100);
if (!(HOURS > 0)) throw new Error(`HARK_BENCH_HOURS must be a number of hours, not ${process.env.HARK_BENCH_HOURS}`);
const POOL = process.env.HARK_BENCH_POOL === undefined ? undefined : Number(process.env.HARK_BENCH_POOL);
if (POOL !== undefined && !(Number.isInteger(POOL) && POOL > 0)) throw new Error(`HARK_BENCH_POOL must be a number of windows, not ${process.env.HARK_BENCH_POOL}`);
const LABELED = Number(process.env.HARK_BENCH_LABELED ?? 0);
if (!(Number.isInteger(LABELED) && LABELED >= 0)) throw new Error(`HARK_BENCH_LABELED must be a number of labels, not ${process.env.HARK_BENCH_LABELED}`);
const FILES = Math.ceil(HOURS / 10);
const HOURS_EACH = HOURS / FILES;
const RATE = 8000;
const PRESSES = 40;

/** Hours of silence without writing them: a WAV header, then a hole in the file. */
function sparseWav(path: string, seconds: number): void {
  const bytes = Math.round(seconds * RATE) * 2;
  writeFileSync(path, wavHeader(RATE, bytes));
  truncateSync(path, 44 + bytes);
}

/**
 * A cache entry holding vectors for the given rows of a file only: the header, then a hole the length of all its
 * vectors, then the rows written into it (runs of adjacent rows in one write).
 */
function writeSparseCacheEntry(dir: string, key: FeatureKey, rows: ArrayLike<number>, vectorOf: (row: number, out: Float32Array) => void): void {
  const file = openSync(featureCacheFile(dir, key), 'w');
  try {
    const header = headerOf(key);
    writeSync(file, header, 0, header.length, 0);
    ftruncateSync(file, header.length + key.windows * key.dims * 4);
    const run = new Float32Array(1024 * key.dims);
    for (let i = 0; i < rows.length; ) {
      const first = rows[i];
      let n = 0;
      for (; i < rows.length && rows[i] === first + n && n < 1024; i++, n++) vectorOf(rows[i], run.subarray(n * key.dims, (n + 1) * key.dims));
      writeSync(file, new Uint8Array(run.buffer, 0, n * key.dims * 4), 0, n * key.dims * 4, header.length + first * key.dims * 4);
    }
  } finally {
    closeSync(file);
  }
}

/**
 * Writes the sparse recordings and their cached vectors, in its own process so the labeler's memory is its own. The
 * pool is drawn here as the labeler draws it (and kept in the store, where the labeler finds it).
 */
async function prepare(work: string): Promise<void> {
  const media = join(work, 'media');
  mkdirSync(media);
  for (let f = 0; f < FILES; f++) sparseWav(join(media, `day-${f}.wav`), HOURS_EACH * 3600);
  const collection = await openCollection({ media, store: join(work, 'store') });
  await collection.store.setConfig({ labels: labelDefs(['Tone', 'Other']), target: 'Tone' });
  if (LABELED > 0) await labelBefore(collection, LABELED);
  const pool = await labelingPool(collection, POOL);
  const cacheDir = featureCacheDir(collection.store.dir);
  mkdirSync(cacheDir, { recursive: true });
  const rand = seededRandom(1);
  // 4% of windows form a distinct cluster, like a rare target
  const vectorOf = (w: number, out: Float32Array) => {
    const centre = w % 25 === 0 ? 3 : 0;
    for (let d = 0; d < FEATURE_DIMS; d++) out[d] = centre + rand() - 0.5;
  };
  for (const [f, file] of collection.files.entries()) {
    const { offsets } = collection.grid;
    const windows = offsets[f + 1] - offsets[f];
    const rows = pool ? pool.windows.subarray(pool.offsets[f], pool.offsets[f + 1]).map((w) => w - offsets[f]) : Int32Array.from({ length: windows }, (_, i) => i);
    const key = { path: file.path, size: file.size, mtimeMs: file.mtimeMs, clip: collection.grid.clip, windows, dims: FEATURE_DIMS, version: FEATURE_VERSION };
    writeSparseCacheEntry(cacheDir, key, rows, (row, out) => vectorOf(offsets[f] + row, out));
  }
  collection.store.close();
}

/** The labels an earlier session left: `count` windows at random, Tone on the target's cluster, by every arm. */
async function labelBefore(collection: Collection, count: number): Promise<void> {
  const { grid, files, store } = collection;
  const rand = seededRandom(3);
  const order = Int32Array.from({ length: grid.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const hows = ['likely', 'random', 'uncertain', 'likely', 'uncertain'];
  await store.addMany(
    Array.from(order.subarray(0, Math.min(count, grid.count)), (w, i) => ({
      file: files[grid.fileOf(w)].path,
      start: grid.startOf(w),
      duration: grid.durationOf(w),
      label: w % 25 === 0 ? 'Tone' : 'Other',
      kind: 'label' as const,
      annotator: 'earlier',
      how: hows[i % hows.length],
    })),
  );
}

if (process.argv[2] === 'prepare') {
  await prepare(process.argv[3]);
  process.exit(0);
}

/** A terminal for Ink: what it writes is kept, keys are pushed in. */
/**
 * Resolves once `check` holds, tested whenever `source` reports a change: a wait that takes no CPU from the labeler
 * it times, where polling on every turn of the event loop kept one of the machine's two cores busy.
 */
function whenTrue(subscribe: (listener: () => void) => () => void, check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  if (check()) return Promise.resolve();
  let stop = () => {};
  const changed = new Promise<void>((resolve) => {
    stop = subscribe(() => check() && resolve());
  });
  return within(changed, what, timeoutMs).finally(stop);
}

class FakeTerminal {
  readonly stdout = Object.assign(new EventEmitter(), {
    columns: 100,
    rows: 30,
    isTTY: true,
    written: '',
    write(chunk: string) {
      this.written += chunk;
      for (const listener of this.listeners) listener();
      return true;
    },
    listeners: new Set<() => void>(),
  });

  /** Calls `listener` after every write; returns what stops it. */
  onWrite = (listener: () => void): (() => void) => {
    this.stdout.listeners.add(listener);
    return () => this.stdout.listeners.delete(listener);
  };
  readonly stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    pending: null as string | null,
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read() {
      const data = this.pending;
      this.pending = null;
      return data;
    },
  });

  /** Sends a key and forgets what was written before it. */
  press(key: string): void {
    this.stdout.written = '';
    this.stdin.pending = key;
    this.stdin.emit('readable');
    this.stdin.emit('data', key);
  }
}

/** The built CLI labeling PRESSES clips on the prepared collection: its peak memory (VmHWM) and when it showed its model. */
async function cliRun(work: string): Promise<{ peakRssMb: number; decoderPeakRssMb: number; modelShownMs: number }> {
  const bin = fileURLToPath(new URL('../bin/hark.js', import.meta.url));
  const term = new TmuxTerminal(`${bin} label ${join(work, 'media')} --store ${join(work, 'store')} --player none`, {
    columns: 100,
    rows: 30,
    killAfterTests: false,
  });
  const started = performance.now();
  try {
    await term.waitFor(/model v\d+/, 600_000);
    const modelShownMs = Math.round(performance.now() - started);
    const before = Number(/session (\d+) /.exec(await term.waitFor(/session \d+ /))![1]);
    for (let i = 1; i <= PRESSES; i++) {
      // a label key with no clip on screen labels nothing: press it once the next clip is there, as a person would
      await term.waitFor(() => !term.screen().includes('loading clips…'), 120_000);
      term.keys(String(1 + (i % 2)));
      await term.waitFor(new RegExp(`session ${before + i} `), 120_000);
      await new Promise((r) => setTimeout(r, 60));
    }
    // the clip decoder is a process of its own (audio/decoder.ts): its memory is the labeler's too
    const decoders = childrenOf(term.pid());
    return { peakRssMb: peakRssMb(term.pid()), decoderPeakRssMb: decoders.reduce((mb, pid) => mb + peakRssMb(pid), 0), modelShownMs };
  } finally {
    term.kill();
  }
}

const work = mkdtempSync(join(tmpdir(), 'hark-bench-scale-'));
try {
  execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'prepare', work], { stdio: 'inherit' });
  const collection = await openCollection({ media: join(work, 'media'), store: join(work, 'store') });
  const player = await createPlayer('none');
  const pool = await labelingPool(collection, POOL);
  const ready = startSession(collection, player, { pool, seed: 2, onExit: () => {} });
  let status = ready.modelStatus.get();
  /** every re-rank after a label, once the presses begin */
  const retrainMs: number[] = [];
  let pressing = false;
  ready.modelStatus.subscribe(() => {
    const previous = status?.lastRetrain?.at;
    status = ready.modelStatus.get();
    if (pressing && status?.lastRetrain && status.lastRetrain.at !== previous) retrainMs.push(status.lastRetrain.ms);
  });
  const term = new FakeTerminal();
  keepScreenLinesAcrossFrames(); // as `hark label` draws
  const app = render(createElement(App, { storePath: collection.store.dir, color: 'truecolor', ready }), {
    ...SCREEN_RENDER_OPTIONS,
    stdout: term.stdout as unknown as NodeJS.WriteStream,
    stdin: term.stdin as unknown as NodeJS.ReadStream,
    patchConsole: false,
  });
  const t0 = performance.now();
  await waitUntil(() => status?.ready, 'the model to be ready', { timeoutMs: 600_000, pollMs: 50 });
  const modelReadyMs = performance.now() - t0;
  // a model on part of the audio is shown first; the presses are timed on the model of every window
  await waitUntil(() => status?.ready && status.coverage === undefined, 'the model on all of the audio', { timeoutMs: 600_000, pollMs: 50 });
  const modelOnAllMs = performance.now() - t0;
  const latencies: number[] = [];
  const nextClipMs: number[] = [];
  const onScreen = () => ready.controller.getView().session.current?.window;
  await waitUntil(() => onScreen() !== undefined, 'the first clip on screen', { timeoutMs: 60_000 });
  pressing = true;
  for (let i = 1; i <= PRESSES; i++) {
    const start = performance.now();
    const labeled = onScreen();
    term.press(String(1 + (i % 2)));
    await whenTrue(term.onWrite, () => term.stdout.written.includes(`session ${i} `), `press ${i} to be acknowledged (session ${i} on screen)`, 30_000);
    latencies.push(performance.now() - start);
    await whenTrue(ready.controller.subscribe, () => onScreen() !== undefined && onScreen() !== labeled, `the clip after press ${i} on screen`, 120_000);
    nextClipMs.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 60)); // a quick labeler's pace; the learner retrains meanwhile
  }
  const lastLabel = performance.now();
  await waitUntil(() => status?.lastRetrain && Date.parse(status.lastRetrain.at) >= performance.timeOrigin + lastLabel, 'the model to take in the last label', { timeoutMs: 300_000 });
  app.unmount();
  await ready.close();
  collection.store.close();
  const firstPress = latencies[0];
  const maxAfterFirst = Math.max(...latencies.slice(1));
  for (const xs of [latencies, nextClipMs, retrainMs]) xs.sort((a, b) => a - b);
  // the figures so far are kept if the built labeler fails
  const cli = await cliRun(work).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`); // with the screen it was on
    return { peakRssMb: null, decoderPeakRssMb: null, modelShownMs: null, error: err.message.split('\n')[0] };
  });
  const q = (xs: number[], p: number) => (xs.length ? +xs[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1) : null);
  console.log(
    JSON.stringify({
      bench: 'label-at-scale',
      windows: collection.grid.count,
      hours: FILES * HOURS_EACH,
      pool_windows: pool?.windows.length ?? null,
      labeled_before: LABELED,
      model_ready_ms: Math.round(modelReadyMs),
      model_on_all_ms: Math.round(modelOnAllMs),
      keypress_to_screen_ms: { median: q(latencies, 0.5), p90: q(latencies, 0.9), max: q(latencies, 1), first_press: +firstPress.toFixed(1), max_after_first: +maxAfterFirst.toFixed(1) },
      next_clip_after_key_ms: { median: q(nextClipMs, 0.5), p90: q(nextClipMs, 0.9), max: q(nextClipMs, 1) },
      rerank_after_label_ms: { median: q(retrainMs, 0.5), max: q(retrainMs, 1), reranks: retrainMs.length },
      cli_model_shown_ms: cli.modelShownMs,
      cli_peak_rss_mb: cli.peakRssMb,
      cli_decoder_peak_rss_mb: cli.decoderPeakRssMb,
      ...('error' in cli && { cli_error: cli.error }),
      bench_process_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
