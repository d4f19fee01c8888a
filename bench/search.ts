/**
 * The search index at archive scale: 10,000 recordings, 5 million apply ranges (two runs of two shards each) and
 * 100,000 labels. Measures the build from nothing, the refresh after one new apply run (one label re-applied to
 * the whole collection), the median of five runs of each example query, and peak RSS, per engine, each engine in
 * its own process. SEARCH_BENCH_ENGINES=duckdb,sqlite compares both (default: duckdb, the one hark uses; sqlite
 * needs `npm install --no-save better-sqlite3@12.11` first). SEARCH_BENCH_DIR keeps the generated data for reruns.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelRecord } from '../src/domain/labels.js';
import { refreshIndex, searchIndex, type IndexedRecording, type RangesFile } from '../src/search/search-index.js';
import type { SqlDb } from '../src/search/sql-db.js';
import { seededRandom } from '../src/domain/seeded-random.js';

const RECORDINGS = 10_000;
const RANGES = 5_000_000;
const LABELS = 100_000;
const LABEL_NAMES = ['Music', 'Host', 'Tone', 'Carol Hills', 'Speech', 'Silence'];
const FOLDERS = ['The_World', 'Morning_Edition', 'Oral_History', 'Field_Recordings', 'Poetry_Readings'];
export const QUERIES = [
  'Tone in first 80s',
  'Music > 30s and not Host',
  'Host and folder ~ "The_World" and date >= 2017-06',
  'Carol Hills total > 5m',
  'Music > 30s in first 5m and not Host in first 5m and date >= 2017 and title ~ news',
];

const engine = process.env.SEARCH_BENCH_ENGINE;
if (engine) console.log(JSON.stringify(await measure(engine, process.env.SEARCH_BENCH_DATA!)));
else await main();

async function main(): Promise<void> {
  // SEARCH_BENCH_DIR keeps the generated collection between runs (it takes minutes to write)
  const kept = process.env.SEARCH_BENCH_DIR;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'hark-bench-search-'));
  try {
    const t0 = performance.now();
    if (!existsSync(join(dir, 'generated'))) await generate(dir);
    const generateMs = Math.round(performance.now() - t0);
    const engines = (process.env.SEARCH_BENCH_ENGINES ?? 'duckdb').split(',');
    for (const name of engines) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, SEARCH_BENCH_ENGINE: name, SEARCH_BENCH_DATA: dir },
      });
      console.log(JSON.stringify({ bench: 'search', recordings: RECORDINGS, ranges: RANGES, labels: LABELS, generate_ms: generateMs, ...JSON.parse(out) }));
    }
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

async function openEngine(name: string, path: string): Promise<SqlDb> {
  if (name === 'duckdb') return (await import('../src/search/duckdb-db.js')).openDuckDb(path);
  if (name === 'sqlite') return (await import('./_sqlite-db.js')).openSqliteDb(path);
  throw new Error(`unknown engine ${name}`);
}

async function measure(name: string, dir: string) {
  const { recordings, labels, runs, newRun } = inputsOf(dir);
  for (const leftover of [`search.${name}`, `search.${name}.wal`]) rmSync(join(dir, leftover), { force: true });
  const db = await openEngine(name, join(dir, `search.${name}`));
  const timed = async (work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    return Math.round(performance.now() - t0);
  };
  const buildMs = await timed(() => refreshIndex(db, { recordings, labels, rangesFiles: runs }));
  const unchangedMs = await timed(() => refreshIndex(db, { recordings, labels, rangesFiles: runs }));
  const refreshMs = await timed(() => refreshIndex(db, { recordings, labels, rangesFiles: [...runs, newRun] }));
  const queries: Record<string, { median_ms: number; recordings: number; hits: number }> = {};
  for (const query of QUERIES) {
    const times: number[] = [];
    let last = { recordings: 0, hits: 0 };
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const result = await searchIndex(db, query, { limit: 1000 });
      times.push(performance.now() - t0);
      last = { recordings: result.recordings.length, hits: result.totalHits };
    }
    times.sort((a, b) => a - b);
    queries[query] = { median_ms: Math.round(times[2]), ...last };
  }
  await db.close();
  return {
    engine: name,
    build_ms: buildMs,
    refresh_unchanged_ms: unchangedMs,
    refresh_new_run_ms: refreshMs,
    new_run_ranges: newRunRanges(),
    index_mb: Math.round(statSync(join(dir, `search.${name}`)).size / 2 ** 20),
    queries,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function recordingPath(i: number): string {
  const year = 2015 + Math.floor(i / 2000); // every folder holds every year
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + (i % 28)).padStart(2, '0');
  return `${FOLDERS[i % FOLDERS.length]}/${year}/show_${year}${month}${day}_ep${i}.${i % 3 ? 'mp3' : 'wav'}`;
}

function inputsOf(dir: string) {
  const random = seededRandom(7);
  const recordings: IndexedRecording[] = Array.from({ length: RECORDINGS }, (_, i) => ({
    path: recordingPath(i),
    duration: 1800 + (i % 7) * 300,
    size: 1000 + i,
    mtimeMs: 1_500_000_000_000 + i,
    codec: i % 3 ? 'mp3' : 'pcm_s16le',
    tags: i % 2 ? { title: `${i % 4 === 1 ? 'News' : 'Talk'} hour ${i}`, artist: 'PRI' } : ({} as Record<string, string>),
  }));
  const labels: LabelRecord[] = Array.from({ length: LABELS }, (_, i) => {
    const r = Math.floor(random() * RECORDINGS);
    return {
      id: `label-${i}`,
      file: recordingPath(r),
      start: Math.floor(random() * 1800),
      duration: 1,
      label: LABEL_NAMES[i % LABEL_NAMES.length],
      kind: 'label',
      annotator: ['alice', 'bob', 'carol'][i % 3],
      time: '2026-01-01T00:00:00.000Z',
      how: 'random',
    };
  });
  const runs: RangesFile[] = [0, 1, 2, 3].map((k) => ({ path: join(dir, 'apply', 'runs', `run${k >> 1}`, `ranges-shard${k & 1}.csv`), run: `runs/run${k >> 1}` }));
  return { recordings, labels, runs, newRun: { path: join(dir, 'apply', 'runs', 'run2', 'ranges.csv'), run: 'runs/run2' } };
}

/** Each recording holds three or four of the labels, so that `not Host` finds some. */
function labelsIn(recording: number): string[] {
  return LABEL_NAMES.filter((_, j) => (recording * 7 + j * 3) % 5 < 3);
}

function newRunRanges(): number {
  return RECORDINGS * 25;
}

/** Ranges spread over the recordings, every label, lengths from 1 s to a few minutes. */
async function generate(dir: string): Promise<void> {
  const { runs, newRun } = inputsOf(dir);
  const random = seededRandom(11);
  const perFile = RANGES / runs.length;
  const write = async (path: string, count: number, recordingOf: (n: number) => number, labelOf: (n: number) => string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    const out = createWriteStream(path);
    out.write('file,start,end,label,mean_score,max_score,peak\n');
    let chunk = '';
    for (let n = 0; n < count; n++) {
      const start = Math.floor(random() * 1700);
      const length = 1 + Math.floor(random() ** 3 * 40);
      const max = 0.5 + random() / 2;
      chunk += `${recordingPath(recordingOf(n))},${start},${start + length},${labelOf(n)},${(max - 0.1).toFixed(4)},${max.toFixed(4)},${start + length / 2}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
  };
  for (const [k, run] of runs.entries()) {
    // each shard holds half the recordings, as two machines would split them
    const half = RECORDINGS / 2;
    const recordingOf = (n: number) => (k & 1) * half + (n % half);
    await write(run.path, perFile, recordingOf, (n) => labelsIn(recordingOf(n))[Math.floor(n / half) % labelsIn(recordingOf(n)).length]);
  }
  await write(newRun.path, newRunRanges(), (n) => n % RECORDINGS, () => 'Music');
  writeFileSync(join(dir, 'generated'), 'ok\n');
}
