/**
 * The labeler on a 100-hour collection (360,000 one-second windows; HARK_BENCH_HOURS=1000 for another size, in
 * recordings of at most 10 hours): keypress-to-screen latency while the model
 * retrains after every label (in this process, rendered by Ink as `hark label` renders it, into a fake terminal),
 * and the peak memory of the built
 * `hark label` in a real terminal (tmux) doing the same. The recordings are sparse WAV files (silence) and their
 * feature vectors are written straight into the cache as random clusters, so no hour of audio is decoded here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { createElement } from 'react';
import { seededRandom } from '../src/domain/seeded-random.js';
import { FEATURE_DIMS, FEATURE_VERSION } from '../src/audio/features/window-features.js';
import { createPlayer } from '../src/audio/player/index.js';
import { openCollection } from '../src/collection/open-collection.js';
import { labelDefs } from '../src/commands/label.js';
import { featureCacheDir, writeCachedFeatures } from '../src/store/feature-cache.js';
import { App } from '../src/ui/app.js';
import { SCREEN_RENDER_OPTIONS } from '../src/ui/render-options.js';
import { startSession } from '../src/labeler/start-session.js';
import { TmuxTerminal } from '../test/helpers/tmux.js';
import { waitUntil } from '../test/helpers/wait.js';
import { wavHeader } from '../test/helpers/wav-header.js';

const HOURS = Number(process.env.HARK_BENCH_HOURS ?? 100);
if (!(HOURS > 0)) throw new Error(`HARK_BENCH_HOURS must be a number of hours, not ${process.env.HARK_BENCH_HOURS}`);
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

/** Writes the sparse recordings and their cached vectors, in its own process so the labeler's memory is its own. */
async function prepare(work: string): Promise<void>{
  const media = join(work, 'media');
  mkdirSync(media);
  for (let f = 0; f < FILES; f++) sparseWav(join(media, `day-${f}.wav`), HOURS_EACH * 3600);
  const collection = await openCollection({ media, store: join(work, 'store') });
  await collection.store.setConfig({ labels: labelDefs(['Tone', 'Other']), target: 'Tone' });
  const rand = seededRandom(1);
  for (const [f, file] of collection.files.entries()) {
    const windows = collection.grid.offsets[f + 1] - collection.grid.offsets[f];
    const vectors = new Float32Array(windows * FEATURE_DIMS);
    for (let w = 0; w < windows; w++) {
      const centre = w % 25 === 0 ? 3 : 0; // 4% of windows form a distinct cluster, like a rare target
      for (let d = 0; d < FEATURE_DIMS; d++) vectors[w * FEATURE_DIMS + d] = centre + rand() - 0.5;
    }
    const key = { path: file.path, size: file.size, mtimeMs: file.mtimeMs, clip: collection.grid.clip, windows, dims: FEATURE_DIMS, version: FEATURE_VERSION };
    await writeCachedFeatures(featureCacheDir(collection.store.dir), key, vectors);
  }
  collection.store.close();
}

if (process.argv[2] === 'prepare') {
  await prepare(process.argv[3]);
  process.exit(0);
}

/** A terminal for Ink: what it writes is kept, keys are pushed in. */
class FakeTerminal {
  readonly stdout = Object.assign(new EventEmitter(), {
    columns: 100,
    rows: 30,
    isTTY: true,
    written: '',
    write(chunk: string) {
      this.written += chunk;
      return true;
    },
  });
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

/** VmHWM of the built CLI labeling PRESSES clips on the prepared collection, in MB. */
async function cliPeakRssMb(work: string): Promise<number> {
  const bin = fileURLToPath(new URL('../bin/hark.js', import.meta.url));
  const term = new TmuxTerminal(`${bin} label ${join(work, 'media')} --store ${join(work, 'store')} --player none`, {
    columns: 100,
    rows: 30,
    killAfterTests: false,
  });
  try {
    await term.waitFor(/model v\d+/, 60_000);
    const before = Number(/session (\d+) /.exec(await term.waitFor(/session \d+ /))![1]);
    for (let i = 1; i <= PRESSES; i++) {
      term.keys(String(1 + (i % 2)));
      await term.waitFor(new RegExp(`session ${before + i} `), 30_000);
      await new Promise((r) => setTimeout(r, 60));
    }
    return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${term.pid()}/status`, 'utf8'))![1]) / 1024);
  } finally {
    term.kill();
  }
}

const work = mkdtempSync(join(tmpdir(), 'hark-bench-scale-'));
try {
  execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'prepare', work], { stdio: 'inherit' });
  const collection = await openCollection({ media: join(work, 'media'), store: join(work, 'store') });
  const player = await createPlayer('none');
  const ready = startSession(collection, player, { seed: 2, onExit: () => {} });
  let status = ready.modelStatus.get();
  ready.modelStatus.subscribe(() => (status = ready.modelStatus.get()));
  const term = new FakeTerminal();
  const app = render(createElement(App, { storePath: collection.store.dir, color: 'truecolor', ready }), {
    ...SCREEN_RENDER_OPTIONS,
    stdout: term.stdout as unknown as NodeJS.WriteStream,
    stdin: term.stdin as unknown as NodeJS.ReadStream,
    patchConsole: false,
  });
  const t0 = performance.now();
  await waitUntil(() => status?.ready, 'the model to be ready', { timeoutMs: 600_000, pollMs: 50 });
  const modelReadyMs = performance.now() - t0;
  const latencies: number[] = [];
  const retrainMs: number[] = [];
  for (let i = 1; i <= PRESSES; i++) {
    const start = performance.now();
    term.press(String(1 + (i % 2)));
    await waitUntil(() => term.stdout.written.includes(`session ${i} `), `press ${i} to be acknowledged (session ${i} on screen)`, { timeoutMs: 30_000, pollMs: 0 });
    latencies.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 60)); // let the learner retrain and re-rank in its thread
    if (status?.lastRetrain) retrainMs.push(status.lastRetrain.ms);
  }
  app.unmount();
  await ready.close();
  collection.store.close();
  const firstPress = latencies[0];
  const maxAfterFirst = Math.max(...latencies.slice(1));
  latencies.sort((a, b) => a - b);
  retrainMs.sort((a, b) => a - b);
  const q = (xs: number[], p: number) => +xs[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
  console.log(
    JSON.stringify({
      bench: 'label-at-scale',
      windows: collection.grid.count,
      hours: FILES * HOURS_EACH,
      model_ready_ms: Math.round(modelReadyMs),
      keypress_to_screen_ms: { median: q(latencies, 0.5), p90: q(latencies, 0.9), max: q(latencies, 1), first_press: +firstPress.toFixed(1), max_after_first: +maxAfterFirst.toFixed(1) },
      retrain_ms: { median: q(retrainMs, 0.5), max: q(retrainMs, 1) },
      cli_peak_rss_mb: await cliPeakRssMb(work),
      bench_process_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
