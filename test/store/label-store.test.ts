import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LabelStore, journalFile, MAIN_WRITER } from '../../src/store/label-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { tempDir } from '../helpers/fixtures.js';

const rec = (label: string) => ({ file: 'a.wav', start: 3, duration: 1, label, kind: 'label' as const, annotator: 'me', how: 'random' });
const journalLines = (dir: string) => readFileSync(journalFile(dir, MAIN_WRITER), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('a saved label is on disk when add() resolves, and a reopened store has it', async () => {
  const dir = tempDir();
  const store = await LabelStore.open(dir);
  const saved = await store.add(rec('Music'));
  const onDisk = journalLines(dir);
  assert.equal(onDisk[onDisk.length - 1].add.id, saved.id);
  store.close();
  const again = await LabelStore.open(dir);
  assert.deepEqual(again.records.map((r) => r.label), ['Music']);
  await again.remove(saved.id);
  assert.equal(again.records.length, 0);
  again.close();
  const third = await LabelStore.open(dir, { readOnly: true });
  assert.equal(third.records.length, 0, 'an undone label stays undone after a restart');
});

test('a second hark on the same store is refused with who holds it, and a dead holder\'s lock is recovered', async () => {
  const dir = tempDir();
  const first = await LabelStore.open(dir);
  await assert.rejects(LabelStore.open(dir), (err: Error) => err instanceof StoreError && /in use by process \d+/.test(err.message));
  first.close();
  writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), since: 'x' }));
  const second = await LabelStore.open(dir);
  second.close();
});

for (const [what, content, pattern] of [
  ['damaged', '{"format":"hark-store","records":[', /damaged/],
  ['foreign', '{"hello":"world"}', /not a hark store/],
  ['newer', '{"format":"hark-store","version":99,"config":{"labels":[]},"records":[]}', /newer hark/],
] as const) {
  test(`a ${what} store file is refused with a message naming it, and left untouched`, async () => {
    const dir = tempDir();
    const file = join(dir, 'hark.json');
    writeFileSync(file, content);
    await assert.rejects(LabelStore.open(dir), (err: Error) => err instanceof StoreError && err.message.includes(file) && pattern.test(err.message));
    assert.equal(readFileSync(file, 'utf8'), content);
    assert.equal(existsSync(join(dir, 'lock')), false, 'a refused open leaves no lock behind');
  });
}

test('a store written by hark 0.1 (one hark.json) opens with every label and setting, once migrated, with the old file kept as a backup', async () => {
  const dir = tempDir();
  cpSync(resolve('test/fixtures/store-v1'), dir, { recursive: true });
  const original = readFileSync(join(dir, 'hark.json'), 'utf8');
  const v1 = JSON.parse(original);
  const store = await LabelStore.open(dir);
  assert.deepEqual(store.records, v1.records);
  assert.deepEqual(store.config, v1.config);
  assert.equal(store.records.filter((r) => r.sampled).length, 1);
  await store.add(rec('Speech'));
  store.close();
  assert.equal(readFileSync(join(dir, 'hark.json.bak'), 'utf8'), original, 'the backup is the file as hark 0.1 left it');
  assert.equal(JSON.parse(readFileSync(join(dir, 'hark.json'), 'utf8')).records, undefined, 'decisions moved out of hark.json');
  const migratedAt = statSync(join(dir, 'hark.json.bak')).mtimeMs;
  const again = await LabelStore.open(dir);
  assert.deepEqual(again.records.map((r) => r.label), [...v1.records.map((r: { label: string }) => r.label), 'Speech'], 'migrated once: nothing doubled');
  assert.equal(statSync(join(dir, 'hark.json.bak')).mtimeMs, migratedAt, 'the backup is not overwritten on later opens');
  again.close();
});

test('a half-written last line from a crash is dropped and the labels before it open', async () => {
  const dir = tempDir();
  const store = await LabelStore.open(dir);
  await store.add(rec('Music'));
  await store.add(rec('Speech'));
  store.close();
  appendFileSync(journalFile(dir, MAIN_WRITER), '{"add":{"id":"x","file":"a.wa');
  const reader = await LabelStore.open(dir, { readOnly: true });
  assert.deepEqual(reader.records.map((r) => r.label), ['Music', 'Speech'], 'a reader beside a crashed writer');
  const again = await LabelStore.open(dir);
  await again.add(rec('Tone'));
  again.close();
  assert.deepEqual((await LabelStore.open(dir, { readOnly: true })).records.map((r) => r.label), ['Music', 'Speech', 'Tone']);
});

test('a damaged line inside a journal is refused with the file and line, and the file is left untouched', async () => {
  const dir = tempDir();
  const store = await LabelStore.open(dir);
  await store.add(rec('Music'));
  await store.add(rec('Speech'));
  store.close();
  const file = journalFile(dir, MAIN_WRITER);
  const damaged = readFileSync(file, 'utf8').replace('"Music"', '"Mus');
  writeFileSync(file, damaged);
  await assert.rejects(LabelStore.open(dir), (err: Error) => err instanceof StoreError && err.message.includes(file) && /damaged at line 1/.test(err.message));
  assert.equal(readFileSync(file, 'utf8'), damaged);
  assert.equal(existsSync(join(dir, 'lock')), false);
});

test('undo and sampled marks are appended, and a journal mostly made of them is compacted on open', async () => {
  const dir = tempDir();
  const store = await LabelStore.open(dir);
  const kept = await store.addMany(Array.from({ length: 600 }, (_, i) => rec(i % 2 ? 'Music' : 'Speech')));
  for (const r of kept.slice(0, 400)) await store.remove(r.id);
  await store.markSampled(kept[500].id);
  store.close();
  assert.equal(journalLines(dir).length, 1001, 'every change is a line of its own');
  const again = await LabelStore.open(dir);
  assert.equal(again.records.length, 200);
  again.close();
  const lines = journalLines(dir);
  assert.equal(lines.length, 200, 'compacted to the live decisions');
  assert.ok(lines.every((l) => l.add), 'with the sampled mark folded in');
  assert.equal(lines.filter((l) => l.add.sampled).length, 1);
});

test('a label that cannot be written is reported and not kept, and saved labels are not damaged', () => {
  const dir = tempDir();
  // a real write failure, even as root: the file size limit (ulimit -f, in KiB) stops the journal mid-line
  const script = `
    import { LabelStore } from ${JSON.stringify(resolve('src/store/label-store.ts'))};
    const store = await LabelStore.open(${JSON.stringify(dir)});
    let acknowledged = 0;
    try {
      for (;;) { await store.add({ file: 'a.wav', start: acknowledged, duration: 1, label: 'Music', kind: 'label', annotator: 'me', how: 'random' }); acknowledged++; }
    } catch (err) {
      console.log(JSON.stringify({ acknowledged, inMemory: store.records.length, error: err.message }));
    }
    store.close();`;
  const child = spawnSync('bash', ['-c', `ulimit -f 8; exec node --import tsx --input-type=module -e "$0"`, script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const { acknowledged, inMemory, error } = JSON.parse(child.stdout);
  assert.match(error, /Could not save/);
  assert.ok(acknowledged > 5, `${acknowledged} labels saved before the disk was full`);
  assert.equal(inMemory, acknowledged);
  return LabelStore.open(dir, { readOnly: true }).then((store) => {
    assert.equal(store.records.length, acknowledged, 'exactly the acknowledged labels, and the journal parses');
  });
});
