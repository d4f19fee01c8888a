import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runExport } from '../../src/commands/export.js';
import { runImport } from '../../src/commands/import.js';
import { openCollection } from '../../src/collection/open-collection.js';
import { labelsOf } from '../../src/domain/labels.js';
import { scoreCollection } from '../../src/collection/collection-scores.js';
import { computeStats } from '../../src/store/stats.js';
import { LabelStore, readStore, type NewRecord } from '../../src/store/label-store.js';
import { captureIO } from '../helpers/capture-io.js';
import { labeledStore } from '../helpers/labeled-store.js';

let dir: string;
let store: string;
/** a clip where the truth has Music alone, given a second label (as if a voice spoke over it) */
const both: NewRecord = { file: 'demo-06.wav', start: 0, duration: 1, label: 'Music', labels: ['Music', 'Tone'], kind: 'label', annotator: 'ana', how: 'random' };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hark-multi-label-'));
  ({ store } = await labeledStore(dir, { seed: 3, weights: { Music: 6 } }));
  const s = await LabelStore.open(store, { annotator: 'ana' });
  await s.add(both);
  s.close();
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('a clip given two labels keeps both in the journal, and labels saved before (one per clip) read as they were', () => {
  const line = readFileSync(join(store, 'journals', 'ana.jsonl'), 'utf8').trim().split('\n').at(-1)!;
  assert.deepEqual(JSON.parse(line).add.labels, ['Music', 'Tone'], 'both labels are on disk');
  const { records } = readStore(store);
  const old = records.filter((r) => r.annotator === 'test');
  assert.ok(old.length > 30 && old.every((r) => r.labels === undefined), 'the single-label journal is untouched');
  assert.deepEqual(records.filter((r) => r.annotator === 'ana').map((r) => r.labels), [['Music', 'Tone']]);
});

test('a store from hark 0.1 still opens, each clip with its one label', async () => {
  const old = join(dir, 'v1');
  cpSync(resolve('test/fixtures/store-v1'), old, { recursive: true });
  const opened = await LabelStore.open(old);
  const records = opened.records;
  opened.close();
  assert.ok(records.length > 0);
  assert.deepEqual(records.map(labelsOf), records.map((r) => [r.label]));
});

test('every export writes a clip with two labels as one row per label', async () => {
  const rowsFor = (rows: string[][], start: string) => rows.filter((r) => r.includes('demo-06.wav') || r.includes('demo-06')).filter((r) => r.includes(start));
  const csv = captureIO();
  assert.equal(await runExport({ store, format: 'csv' }, csv.io), 0, csv.text.err);
  const table = parse(csv.text.out, { columns: true }) as Record<string, string>[];
  assert.deepEqual(table.filter((r) => r.annotator === 'ana').map((r) => r.label), ['Music', 'Tone'], 'csv');
  const jsonl = captureIO();
  assert.equal(await runExport({ store, format: 'jsonl' }, jsonl.io), 0);
  const lines = jsonl.text.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.filter((r) => r.annotator === 'ana').map((r) => r.label), ['Music', 'Tone'], 'jsonl');
  const hipstas = captureIO();
  assert.equal(await runExport({ store, format: 'hipstas' }, hipstas.io), 0);
  const hipstasRows = parse(hipstas.text.out) as string[][];
  assert.deepEqual(rowsFor(hipstasRows, '0').filter((r) => r[1] === '0').map((r) => r[3]).sort(), ['Music', 'Tone'], 'HiPSTAS table');
  for (const format of ['audacity', 'raven'] as const) {
    const out = join(dir, format);
    assert.equal(await runExport({ store, format, out }, captureIO().io), 0);
    const file = readdirSync(out).find((f) => f.startsWith('demo-06'))!;
    const rows = readFileSync(join(out, file), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const atZero = rows.filter((r) => r.includes('0.000000') && r.includes('1.000000'));
    assert.deepEqual(atZero.map((r) => r.at(-1)).sort(), ['Music', 'Tone'], format);
  }
  const stats = computeStats(readStore(store).records, null);
  assert.ok(stats.perLabel.some((l) => l.label === 'Tone'), 'stats count the second label');
});

test("hark's own export imported into another store gives the clip with two labels back as one decision, and importing it again adds nothing", async () => {
  for (const format of ['csv', 'jsonl']) {
    const exported = captureIO();
    assert.equal(await runExport({ store, format }, exported.io), 0);
    const table = join(dir, `labels.${format}`);
    writeFileSync(table, exported.text.out);
    const other = join(dir, `imported-${format}`);
    const media = readStore(store).config.mediaRoot!;
    const first = captureIO();
    assert.equal(await runImport({ table, store: other, media }, first.io), 0, first.text.err);
    const again = captureIO();
    assert.equal(await runImport({ table, store: other }, again.io), 0, again.text.err);
    const records = readStore(other).records;
    assert.deepEqual(records.filter((r) => r.annotator === 'ana').map((r) => r.labels), [['Music', 'Tone']], format);
    assert.equal(records.length, readStore(store).records.length, `${format}: the second import added nothing`);
  }
});

test('apply and evaluate score a clip given two labels as both: probability 1 for each', async () => {
  const collection = await openCollection({ store, readOnly: true });
  try {
    const scores = await scoreCollection(collection, { workers: 1 });
    const w = collection.grid.windowAt(collection.files.findIndex((f) => f.path === 'demo-06.wav'), 0.5);
    for (const label of ['Music', 'Tone']) assert.equal(scores.probabilities[scores.labels.indexOf(label)][w], 1, label);
    assert.deepEqual(scores.labeled.find((d) => d.window === w)?.label, ['Music', 'Tone']);
  } finally {
    collection.store.close();
  }
});
