import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { writeDemoCollection } from '../../src/audio/demo-collection.js';
import { runExport } from '../../src/commands/export.js';
import { runImport } from '../../src/commands/import.js';
import { runStats } from '../../src/commands/stats.js';
import { RAVEN_HEADER } from '../../src/store/exports.js';
import { LabelStore } from '../../src/store/label-store.js';
import { NOT_SURE, SKIPPED } from '../../src/domain/labels.js';
import { captureIO } from '../helpers/capture-io.js';
import { exitCode } from '../helpers/run-hark.js';

let dir: string;
let media: string;
let store: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hark-export-import-'));
  media = join(dir, 'media');
  // Two 6 s recordings in a subfolder, at 22.05 kHz so Raven's top frequency (11025 Hz) is told from the default.
  writeDemoCollection(join(media, 'reels'), { files: 2, seconds: 6, sampleRate: 22050 });
  store = join(dir, 'store');
  writeFileSync(
    join(dir, 'output_table.csv'),
    [
      'demo-01,0,1,"Music"', // quoted variant
      'demo-01,2,1,Background Speaker', // unquoted variant
      'demo-02,3,1,"Not Sure"',
      'demo-02,4,1,"Song, ""Amazing Grace"""',
      '20170622full,157,1,Carol Hills', // a recording this collection does not have
      'demo-02,five,1,Music', // line 6: malformed
      'demo-02,30,1,Music', // line 7: past the end of a 6 s recording
    ].join('\n') + '\n',
  );
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('import brings HiPSTAS rows into the store and says which rows it left out', async () => {
  const { io, text } = captureIO();
  const code = await runImport({ table: join(dir, 'output_table.csv'), store, media, annotator: 'carol' }, io);
  assert.equal(code, 0, text.err);
  assert.match(text.out, /Imported 4 of 7 rows/);
  assert.match(text.err, /1 rows name recordings that are not in .*: 20170622full\./);
  assert.match(text.err, /1 rows start after the end of their recording; not imported \(lines 7\)/);
  assert.match(text.err, /1 lines are not name,start,duration,label rows; not imported \(lines 6\)/);

  const labels = await LabelStore.open(store, { readOnly: true });
  assert.deepEqual(
    labels.records.map((r) => [r.file, r.start, r.duration, r.label, r.kind, r.annotator, r.how]),
    [
      ['reels/demo-01.wav', 0, 1, 'Music', 'label', 'carol', 'import'],
      ['reels/demo-01.wav', 2, 1, 'Background Speaker', 'label', 'carol', 'import'],
      ['reels/demo-02.wav', 3, 1, NOT_SURE, 'unsure', 'carol', 'import'],
      ['reels/demo-02.wav', 4, 1, 'Song, "Amazing Grace"', 'label', 'carol', 'import'],
    ],
  );
});

test('importing the same table again adds no duplicates', async () => {
  const { io, text } = captureIO();
  assert.equal(await runImport({ table: join(dir, 'output_table.csv'), store }, io), 0, text.err);
  assert.match(text.out, /Imported 0 of 7 rows/);
  assert.match(text.err, /4 rows were already in the store/);
  assert.equal((await LabelStore.open(store, { readOnly: true })).records.length, 4);
});

test('a skip made while labeling is kept by csv and jsonl exports but not by label formats', async () => {
  const labels = await LabelStore.open(store);
  const skip = { file: 'reels/demo-02.wav', start: 5, duration: 1, label: SKIPPED, kind: 'skip' as const };
  await labels.add({ ...skip, annotator: 'ana', how: 'random' });
  labels.close();

  const csv = captureIO();
  assert.equal(await runExport({ store, format: 'csv' }, csv.io), 0, csv.text.err);
  const rows = parse(csv.text.out, { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((r) => r.kind), ['label', 'label', 'unsure', 'label', 'skip']);
  assert.equal(rows[3].label, 'Song, "Amazing Grace"');

  const jsonl = captureIO();
  assert.equal(await runExport({ store, format: 'jsonl' }, jsonl.io), 0);
  assert.deepEqual(jsonl.text.out.trimEnd().split('\n').map((l) => JSON.parse(l).start), [0, 2, 3, 4, 5]);
});

test('a HiPSTAS export imported into a fresh store gives back the same labels', async () => {
  const table = join(dir, 'exported.csv');
  const exported = captureIO();
  assert.equal(await runExport({ store, format: 'hipstas', out: table }, exported.io), 0, exported.text.err);
  assert.match(exported.text.out, /Wrote 4 records/);
  assert.equal(readFileSync(table, 'utf8').split('\n')[0], 'demo-01,0,1,"Music"');

  const fresh = join(dir, 'fresh-store');
  const imported = captureIO();
  assert.equal(await runImport({ table, store: fresh, media }, imported.io), 0, imported.text.err);
  const summary = async (s: string) => {
    const { records } = await LabelStore.open(s, { readOnly: true });
    return records.filter((r) => r.kind !== 'skip').map((r) => [r.file, r.start, r.duration, r.label, r.kind]);
  };
  assert.deepEqual(await summary(fresh), await summary(store));
});

test('Audacity export writes one label track per recording, each line start<TAB>end<TAB>label', async () => {
  const out = join(dir, 'audacity');
  const { io, text } = captureIO();
  assert.equal(await runExport({ store, format: 'audacity', out }, io), 0, text.err);
  assert.deepEqual(readdirSync(out).sort(), ['reels__demo-01.wav.txt', 'reels__demo-02.wav.txt']);
  const lines = readFileSync(join(out, 'reels__demo-02.wav.txt'), 'utf8').trimEnd().split('\n');
  assert.deepEqual(lines, ['3.000000\t4.000000\tNot Sure', '4.000000\t5.000000\tSong, "Amazing Grace"']);
  for (const line of lines) {
    const fields = line.split('\t');
    assert.equal(fields.length, 3);
    assert.ok(Number(fields[0]) < Number(fields[1]));
  }
});

test('Raven export writes selection tables whose boxes reach the recording\'s Nyquist frequency', async () => {
  const out = join(dir, 'raven');
  const { io, text } = captureIO();
  assert.equal(await runExport({ store, format: 'raven', out }, io), 0, text.err);
  const table = readFileSync(join(out, 'reels__demo-01.wav.Table.1.selections.txt'), 'utf8').trimEnd().split('\n');
  assert.equal(table[0], RAVEN_HEADER);
  assert.deepEqual(table[1].split('\t'), ['1', 'Spectrogram 1', '1', '0.000000', '1.000000', '0', '11025', 'Music']);
});

test('stats report labels, annotators and coverage, and still work when the media folder is gone', async () => {
  const json = captureIO();
  assert.equal(await runStats({ store, json: true }, json.io), 0, json.text.err);
  const stats = JSON.parse(json.text.out);
  assert.equal(stats.labels, 3);
  assert.equal(stats.unsure, 1);
  assert.equal(stats.skips, 1);
  assert.equal(stats.recordingsLabeled, 2);
  assert.equal(stats.recordingsTotal, 2);
  assert.deepEqual(stats.perAnnotator.map((a: { annotator: string }) => a.annotator), ['carol', 'ana']);

  renameSync(media, `${media}-moved`);
  try {
    const human = captureIO();
    assert.equal(await runStats({ store }, human.io), 0, human.text.err);
    assert.match(human.text.out, /is not reachable/);
    assert.match(human.text.out, /Labels {5}3 clips, 0:00:03 of audio, in 2 recordings\n/);
  } finally {
    renameSync(`${media}-moved`, media);
  }
});

test('export and stats refuse a folder that holds no store, and create nothing there', async () => {
  const missing = join(dir, 'no-store-here');
  const fake = captureIO();
  for (const run of [() => runExport({ store: missing, format: 'csv' }, fake.io), () => runStats({ store: missing }, fake.io)]) {
    assert.equal(await exitCode(run(), fake.io), 1);
  }
  assert.match(fake.text.err, /No hark store in/);
  assert.equal(existsSync(missing), false);
});

test('an unknown export format is named in a one-line error', async () => {
  const { io, text } = captureIO();
  assert.equal(await exitCode(runExport({ store, format: 'excel' }, io), io), 1);
  assert.equal(text.err, 'hark: Unknown export format "excel"; use one of: hipstas, csv, audacity, raven, jsonl.\n');
});

test('import refuses a missing file or one that is not a HiPSTAS table, without touching the store', async () => {
  const missing = captureIO();
  assert.equal(await exitCode(runImport({ table: join(dir, 'nope.csv'), store }, missing.io), missing.io), 1);
  assert.match(missing.text.err, /^hark: Cannot read .*nope\.csv/);

  const notTable = join(dir, 'notes.txt');
  writeFileSync(notTable, 'Reel 4 is the interview\nwith the mayor\n');
  const wrong = captureIO();
  assert.equal(await exitCode(runImport({ table: notTable, store }, wrong.io), wrong.io), 1);
  assert.match(wrong.text.err, /does not look like a HiPSTAS output table/);
  assert.equal((await LabelStore.open(store, { readOnly: true })).records.length, 5);
});

test('stats refuses a --target that names none of the store\'s labels, and lists them', async () => {
  const { io, text } = captureIO();
  assert.equal(await exitCode(runStats({ store, target: 'Nope', model: false }, io), io), 1);
  assert.match(text.err, /^hark: --target Nope is not one of the labels: .*Music.*Background Speaker/);
  assert.equal(text.out, '');
});

test("another annotator's csv or jsonl export merges into a store: each decision once, credited to whoever made it", async () => {
  for (const format of ['csv', 'jsonl'] as const) {
    const exported = join(dir, `annotator-b.${format}`);
    assert.equal(await runExport({ store, format, out: exported }, captureIO().io), 0);
    const merged = join(dir, `merged-${format}`);
    const first = captureIO();
    assert.equal(await runImport({ table: exported, store: merged, media }, first.io), 0, first.text.err);
    assert.match(first.text.out, new RegExp(`Imported 5 of 5 rows from .* \\(${format}\\) into .*: 5 new, 0 already there\\.`));
    const again = captureIO();
    assert.equal(await runImport({ table: exported, store: merged }, again.io), 0, again.text.err);
    assert.match(again.text.out, /: 0 new, 5 already there\./);
    const decisions = async (s: string) =>
      (await LabelStore.open(s, { readOnly: true })).records.map((r) => [r.file, r.start, r.duration, r.label, r.kind, r.annotator, r.time]);
    assert.deepEqual(await decisions(merged), await decisions(store), format);
  }
});

test('an Audacity label track imports onto the recording its file name or --file names', async () => {
  const track = join(dir, 'demo-02.txt');
  writeFileSync(track, '1.000000\t2.000000\tApplause\n\\\t0.000000\t8000.000000\n3.5\t4.5\tMusic\n');
  const fresh = join(dir, 'audacity-store');
  const { io, text } = captureIO();
  assert.equal(await runImport({ table: track, store: fresh, media }, io), 0, text.err);
  assert.match(text.out, /Imported 2 of 2 rows .*\(audacity\).*: 2 new/, 'the line of frequencies is part of the label above it');
  const records = (await LabelStore.open(fresh, { readOnly: true })).records;
  assert.deepEqual(records.map((r) => [r.file, r.start, r.duration, r.label, r.annotator]), [
    ['reels/demo-02.wav', 1, 1, 'Applause', 'audacity'],
    ['reels/demo-02.wav', 3.5, 1, 'Music', 'audacity'],
  ]);

  const named = captureIO();
  const otherTrack = join(dir, 'Label Track.txt');
  writeFileSync(otherTrack, '0\t1\tSpeech\n');
  assert.equal(await runImport({ table: otherTrack, store: fresh, file: 'demo-01.wav', annotator: 'dana' }, named.io), 0, named.text.err);
  const last = (await LabelStore.open(fresh, { readOnly: true })).records.at(-1)!;
  assert.deepEqual([last.file, last.label, last.annotator], ['reels/demo-01.wav', 'Speech', 'dana']);
});

test('an import none of whose rows lands on a recording ends with exit code 1 and says why', async () => {
  const table = join(dir, 'elsewhere.csv');
  writeFileSync(table, 'tape-99,0,1,Music\ntape-98,2,1,Speech\n');
  const { io, text } = captureIO();
  assert.equal(await exitCode(runImport({ table, store }, io), io), 1);
  assert.match(text.out, /Imported 0 of 2 rows .*: 0 new, 0 already there\./);
  assert.match(text.err, /hark: None of the rows of .*elsewhere\.csv could be placed on a recording of /);
});
