import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSearch, type SearchOptions } from '../../src/commands/search.js';
import { exitCode } from '../helpers/run-hark.js';
import type { CommandIO } from '../../src/commands/command-io.js';
import type { SearchResult } from '../../src/search/search-result.js';
import { LabelStore } from '../../src/store/label-store.js';
import { captureIO } from '../helpers/capture-io.js';
import { tempDir } from '../helpers/fixtures.js';
import { A, B, C, D, searchStore } from './search-store.js';

const { store } = await searchStore();

async function search(query: string, opts: Partial<SearchOptions> = {}) {
  const { io, text } = captureIO();
  const full = { ...io, stdout: { isTTY: false } as NodeJS.WriteStream, stdin: process.stdin, color: false } as CommandIO;
  const code = await exitCode(runSearch({ store, query, ...opts }, full), full);
  return { code, ...text };
}

async function found(query: string): Promise<SearchResult> {
  const r = await search(query, { json: true });
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as SearchResult;
}

const recordingsOf = (r: SearchResult) => r.recordings.map((x) => x.path).sort();
const hitsOf = (r: SearchResult) => r.hits.map((h) => `${h.recording} ${h.start}-${h.end} ${h.label} ${h.by}`);

test('"Tone in first 80s" finds the tone at 60 s and not the one at 90 s', async () => {
  const r = await found('Tone in first 80s');
  assert.deepEqual(recordingsOf(r), [A]);
  assert.deepEqual(hitsOf(r), [`${A} 60-70 Tone model`]);
});

test('"Music > 30s and not Host" finds long music only in recordings nobody or nothing marked as Host', async () => {
  const r = await found('Music > 30s and not Host');
  assert.deepEqual(recordingsOf(r), [C]);
  assert.deepEqual(hitsOf(r), [`${C} 0-45 Music model`]);
});

test('a folder, a date from the file name and a person\'s Host label combine with and', async () => {
  const r = await found('Host and folder ~ "The_World" and date >= 2017-06');
  assert.deepEqual(recordingsOf(r), [A]);
  assert.deepEqual(hitsOf(r), [`${A} 10-11 Host person`]);
  assert.deepEqual(r.recordings[0].fields, { folder: 'The_World', date: '2017-06-22' });
});

test('"Carol Hills total > 5m" adds up a multi-word label per recording', async () => {
  const r = await found('Carol Hills total > 5m');
  assert.deepEqual(recordingsOf(r), [C]);
  assert.equal(r.hits.length, 2);
  const below = await found('carol hills total < 5m');
  assert.deepEqual(recordingsOf(below), [A, B, D].sort(), 'recordings with less (or none) of it');
});

test('or and parentheses group conditions', async () => {
  assert.deepEqual(recordingsOf(await found('Tone or Music > 30s')), [A, B, C, D].sort());
  const grouped = await found('(Tone or Music > 30s) and folder ~ The_World');
  assert.deepEqual(recordingsOf(grouped), [A, B].sort());
  assert.deepEqual(hitsOf(grouped), [`${B} 90-95 Tone model`, `${A} 60-70 Tone model`, `${A} 100-150 Music model`]);
});

test('"by person" and "by model" tell labels from apply ranges, "annotator =" finds whose labels', async () => {
  assert.deepEqual(recordingsOf(await found('Host by person')), [A, B].sort());
  assert.deepEqual(recordingsOf(await found('Host by model')), [D]);
  assert.deepEqual(recordingsOf(await found('Music by bob')), [D]);
  assert.deepEqual(recordingsOf(await found('annotator = alice')), [A, B].sort());
  assert.deepEqual(hitsOf(await found('annotator = bob')), [`${D} 100-101 Music person`]);
});

test('file name, duration, format and container tags are searchable', async () => {
  assert.deepEqual(recordingsOf(await found('file ~ ep12')), [C]);
  assert.deepEqual(recordingsOf(await found('duration > 1h')), [D]);
  assert.deepEqual(recordingsOf(await found('format = mp3')), [B, D].sort());
  const news = await found('title ~ "news"');
  assert.deepEqual(recordingsOf(news), [A]);
  assert.deepEqual(news.recordings[0].fields, { title: 'World News at noon' });
  assert.deepEqual(recordingsOf(await found('date = 2016')), [C], 'a date tag holding a year alone');
});

test('the journalist\'s question: long music and no host in the first five minutes, from 2017 on', async () => {
  assert.deepEqual(recordingsOf(await found('Music > 30s in first 5m and not Host in first 5m')), [C]);
  assert.deepEqual(recordingsOf(await found('Host in last 2m')), [D], 'the last two minutes of each recording');
  assert.deepEqual(recordingsOf(await found('Music in 16m to 18m')), [D]);
  assert.deepEqual(recordingsOf(await found('Music > 30s in first 5m and not Host in first 5m and date >= 2017')), []);
});

test('a query that cannot be read says where and why, and exits 1', async () => {
  const cases: [string, number, RegExp][] = [
    ['Music > 30x and not Host', 9, /length of time like 30s/],
    ['Musik > 30s', 1, /no label called "Musik" \(labels here: .*Music/],
    ['Music > 30s and', 16, /expected a label or a field, found the end/],
    ['(Tone or Music', 15, /expected "\)"/],
    ['folder > 3', 1, /folder is text/],
    ['titel ~ news', 1, /"titel" is not a field .*tags here: .*title/],
    ['date >= June', 9, /expected a date like 2017/],
    ['Music Host', 1, /no label called "Music Host"/],
    ['folder ~ "The_World', 10, /quote " is never closed/],
  ];
  for (const [query, column, why] of cases) {
    const r = await search(query);
    assert.equal(r.code, 1, query);
    const [first, echoed, caret] = r.err.split('\n').filter((l) => !l.startsWith('scanning'));
    assert.match(first, new RegExp(`^hark: cannot read the query at column ${column}: `), query);
    assert.match(first, why, query);
    assert.equal(echoed, `  ${query}`);
    assert.equal(caret.indexOf('^'), 2 + column - 1, `caret under column ${column} of ${query}`);
  }
});

test('a query cannot run SQL of its own: quotes and semicolons stay values', async () => {
  const r = await found(`title ~ "'); DROP TABLE spans; --"`);
  assert.deepEqual(r.recordings, []);
  assert.deepEqual(recordingsOf(await found('Tone in first 80s')), [A], 'the index still answers');
});

test('the table shows each hit with who found it, and totals per recording with --by recording', async () => {
  const table = await search('Music > 30s or annotator = alice');
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, new RegExp(`${C.replace('.', '\\.')}\\s+0:00:00\\.0\\s+0:00:45\\.0\\s+Music\\s+model p=0\\.90`));
  assert.match(table.out, /Host\s+alice/);
  assert.match(table.out, /5 hit\(s\) in 4 recording\(s\)\./);
  const totals = await search('Carol Hills', { by: 'recording' });
  assert.match(totals.out, new RegExp(`${C.replace('.', '\\.')}\\s+2\\s+0:05:20\\s+0:11:40\\s+Carol Hills`));
  assert.match(totals.out, /2 recording\(s\)\./);
});

test('--format csv, audacity and raven write the hits like the exports', async () => {
  const csv = await search('Carol Hills', { format: 'csv' });
  assert.deepEqual(csv.out.trim().split('\n'), [
    'file,start,end,label,by,annotator,score,run',
    `${C},0,200,Carol Hills,model,,0.9,.`,
    `${C},300,420,Carol Hills,model,,0.9,.`,
    `${A},0,100,Carol Hills,model,,0.8,.`,
  ].sort((a, b) => (a.startsWith('file') ? -1 : b.startsWith('file') ? 1 : a < b ? -1 : 1)));
  const out = join(tempDir(), 'aud');
  const audacity = await search('Carol Hills', { format: 'audacity', out });
  assert.equal(audacity.code, 0, audacity.err);
  assert.equal(readFileSync(join(out, 'Oral_History__carol_interview_ep12.wav.txt'), 'utf8'), '0.000000\t200.000000\tCarol Hills\n300.000000\t420.000000\tCarol Hills\n');
  const ravenDir = join(tempDir(), 'raven');
  await search('Music by model', { format: 'raven', out: ravenDir });
  assert.equal(readdirSync(ravenDir).length, 4);
  assert.match(readFileSync(join(ravenDir, 'Misc__long_ep3.mp3.Table.1.selections.txt'), 'utf8'), /1000\.000000\t1040\.000000\t0\t4000\tMusic/);
});

test('a new apply run is searched without rebuilding the index', async () => {
  assert.deepEqual(recordingsOf(await found('Tone by model in last 1m')), []);
  appendFileSync(join(store, 'apply', 'runs', 'r2', 'ranges-shard1.csv'), `${D},3650,3660,Tone,0.6,0.7,3655\n`);
  const r = await found('Tone by model in last 1m');
  assert.deepEqual(hitsOf(r), [`${D} 3650-3660 Tone model`]);
  assert.equal(r.hits[0].run, 'runs/r2');
  assert.ok(existsSync(join(store, 'search.duckdb')), 'the index lives in the store folder');
});

test('"total" counts time once where two apply runs and a person\'s label cover the same part of a recording', async () => {
  const twice = await searchStore();
  mkdirSync(join(twice.store, 'apply', 'runs', 'r3'), { recursive: true });
  writeFileSync(join(twice.store, 'apply', 'runs', 'r3', 'ranges.csv'), `file,start,end,label,mean_score,max_score,peak\n${A},50,150,Carol Hills,0.7,0.8,60\n${A},20,30,Carol Hills,0.7,0.8,25\n`);
  const labels = await LabelStore.open(twice.store);
  await labels.addMany([{ file: A, start: 140, duration: 1, label: 'Carol Hills', kind: 'label', annotator: 'alice', how: 'random' }]);
  labels.close();
  const totalOf = async (query: string) => {
    const { io, text } = captureIO();
    const full = { ...io, stdout: { isTTY: false } as NodeJS.WriteStream, stdin: process.stdin, color: false } as CommandIO;
    assert.equal(await exitCode(runSearch({ store: twice.store, query, json: true }, full), full), 0, text.err);
    return (JSON.parse(text.out) as SearchResult).recordings.map((r) => r.path).sort();
  };
  // A is covered 0-150 (150 s) by runs '.' (0-100), r3 (50-150, 20-30) and alice's 140-141; added up: 221 s
  assert.deepEqual(await totalOf('Carol Hills total > 149s'), [A, C].sort());
  assert.deepEqual(await totalOf('Carol Hills total > 151s'), [C]);
  assert.deepEqual(await totalOf('Carol Hills in first 60s total >= 60s'), [A, C].sort());
  assert.deepEqual(await totalOf('Carol Hills in 40s to 120s total < 80s'), [B, D].sort(), 'A is covered from 40 to 120 s: 80 s');
  assert.deepEqual(await totalOf('Carol Hills by model total > 149s'), [A, C].sort(), 'the model alone covers A from 0 to 150 s');
  assert.deepEqual(await totalOf('Carol Hills by model in first 60s total >= 60s'), [A, C].sort());

  // the index follows what changed: a new label past the ranges, then a run removed
  const more = await LabelStore.open(twice.store);
  await more.addMany([{ file: A, start: 150, duration: 2, label: 'Carol Hills', kind: 'label', annotator: 'bob', how: 'random' }]);
  more.close();
  assert.deepEqual(await totalOf('Carol Hills total > 151s'), [A, C].sort(), "bob's label carries A to 152 s");
  rmSync(join(twice.store, 'apply', 'runs', 'r3'), { recursive: true });
  assert.deepEqual(await totalOf('Carol Hills total > 103.5s'), [C], 'without r3, A has 0-100 s and the labels at 140 and 150 s: 103 s');
  assert.deepEqual(await totalOf('Carol Hills total > 102.5s'), [A, C].sort());
});
