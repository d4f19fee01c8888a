import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabelStore } from '../../src/store/label-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { tempDir } from '../helpers/fixtures.js';

const rec = (label: string) => ({ file: 'a.wav', start: 3, duration: 1, label, kind: 'label' as const, annotator: 'me', how: 'random' });

test('a saved label is on disk when add() resolves, and a reopened store has it', async () => {
  const dir = tempDir();
  const store = await LabelStore.open(dir);
  const saved = await store.add(rec('Music'));
  const onDisk = JSON.parse(readFileSync(join(dir, 'hark.json'), 'utf8'));
  assert.equal(onDisk.records[0].id, saved.id);
  store.close();
  const again = await LabelStore.open(dir);
  assert.deepEqual(again.records.map((r) => r.label), ['Music']);
  await again.remove(saved.id);
  assert.equal(again.records.length, 0);
  again.close();
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

test('opening keeps a backup of the last good store to recover from', async () => {
  const dir = tempDir();
  const store = await LabelStore.open(dir);
  await store.add(rec('Tone'));
  store.close();
  (await LabelStore.open(dir)).close();
  const backup = JSON.parse(readFileSync(join(dir, 'hark.json.bak'), 'utf8'));
  assert.equal(backup.records[0].label, 'Tone');
});

test('a label that cannot be written is reported and not kept, and saved labels are not damaged', async () => {
  const dir = tempDir();
  const store = await LabelStore.open(dir);
  await store.add(rec('Music'));
  // lowdb writes a temp file and renames it; a folder in the temp file's place makes every write fail, even as root
  mkdirSync(join(dir, '.hark.json.tmp'));
  await assert.rejects(store.add(rec('Speech')), /Could not save/);
  assert.deepEqual(store.records.map((r) => r.label), ['Music']);
  store.close();
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'hark.json'), 'utf8')).records.map((r: { label: string }) => r.label), ['Music']);
});
