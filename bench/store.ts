/**
 * The store at scale: how long saving one label takes (as `hark label` does before it shows the next clip) with
 * 1,000 / 10,000 / 100,000 labels already stored, with and without --fsync; how long opening a store of that size
 * takes; and `hark import` of a 100,000-row HiPSTAS table (the built CLI, a real process) into a 200-hour collection.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seededRandom } from '../src/domain/seeded-random.js';
import { LabelStore, type NewRecord } from '../src/store/label-store.js';
import { wavHeader } from '../test/helpers/wav-header.js';

const SIZES = [1_000, 10_000, 100_000];
const SAVES = 200;
const FSYNC_SAVES = 50;
const RATE = 8000;

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (x: number) => Math.round(x * 100) / 100;

/** A decision as the labeler saves it, on one of 20 ten-hour recordings. */
function decision(rand: () => number, i: number): NewRecord {
  return {
    file: `reels/reel-${String(i % 20).padStart(2, '0')}.wav`,
    start: Math.floor(rand() * 36_000),
    duration: 1,
    label: ['Speech', 'Music', 'Applause', 'Silence'][i % 4],
    kind: 'label',
    annotator: 'ada',
    how: i % 3 ? 'likely' : 'random',
    strategy: 'mixed',
    score: Math.round(rand() * 1000) / 1000,
    modelVersion: i,
    drawProbability: 1 / 36_000,
  };
}

async function saveLatency(store: LabelStore, rand: () => number, count: number): Promise<{ median: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await store.add(decision(rand, i));
    times.push(performance.now() - t0);
  }
  return { median: ms(quantile(times, 0.5)), p99: ms(quantile(times, 0.99)) };
}

async function atSize(work: string, size: number) {
  const dir = join(work, `store-${size}`);
  const rand = seededRandom(size);
  const filling = await LabelStore.open(dir);
  await filling.addMany(Array.from({ length: size }, (_, i) => decision(rand, i)));
  filling.close();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const store = await LabelStore.open(dir);
  const openMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const save = await saveLatency(store, rand, SAVES);
  store.close();
  const synced = await LabelStore.open(dir, { fsync: true });
  const fsyncSave = await saveLatency(synced, rand, FSYNC_SAVES);
  synced.close();
  return { labels: size, openMs: ms(openMs), openCpuMs: ms((cpu.user + cpu.system) / 1000), saveMedianMs: save.median, saveP99Ms: save.p99, fsyncSaveMedianMs: fsyncSave.median, fsyncSaveP99Ms: fsyncSave.p99 };
}

/** `hark import` of a 100,000-row table, as a user runs it: node starting, scanning the media, planning, saving. */
function importTime(work: string, fsync: boolean) {
  const media = join(work, 'media');
  mkdirSync(join(media, 'reels'), { recursive: true });
  for (let f = 0; f < 20; f++) {
    const path = join(media, 'reels', `reel-${String(f).padStart(2, '0')}.wav`);
    const bytes = 36_000 * RATE * 2; // ten hours of silence, as a hole in the file
    writeFileSync(path, wavHeader(RATE, bytes));
    truncateSync(path, 44 + bytes);
  }
  const rows = Array.from({ length: 100_000 }, (_, i) => `reel-${String(i % 20).padStart(2, '0')},${Math.floor(i / 20)},1,${i % 7 ? 'Speech' : 'Music'}`);
  const table = join(work, 'output_table.csv');
  writeFileSync(table, `name,start,duration,label\n${rows.join('\n')}\n`);
  const store = join(work, `import-store-${fsync}`);
  // a one-row import first, as into a collection already scanned: its recordings are probed and cached
  writeFileSync(`${table}.one`, `name,start,duration,label\nreel-00,0,1,Speech\n`);
  const hark = (file: string) => spawnSync('node', [resolve('bin/hark.js'), 'import', file, '--store', store, '--media', media, ...(fsync ? ['--fsync'] : [])], { encoding: 'utf8' });
  hark(`${table}.one`);
  const t0 = performance.now();
  const run = hark(table);
  const wall = performance.now() - t0;
  if (run.status !== 0) throw new Error(`hark import failed: ${run.stderr}`);
  return { rows: 100_000, fsync, seconds: Math.round(wall) / 1000, said: run.stdout.trim() };
}

const work = mkdtempSync(join(tmpdir(), 'hark-bench-store-'));
try {
  const sizes = [];
  for (const size of SIZES) sizes.push(await atSize(work, size));
  // this machine is shared: with the load average far above its cores, wall times stretch and CPU times do not
  console.log(JSON.stringify({ bench: 'store', loadAverage: loadavg().map((l) => Math.round(l * 10) / 10), cores: cpus().length, saves: SAVES, fsyncSaves: FSYNC_SAVES, sizes, import: [importTime(work, false), importTime(work, true)] }, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
