import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { activeWriters, LabelStore, readStore, type ExternalChange } from '../../src/store/label-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { tempDir } from '../helpers/fixtures.js';

const rec = (label: string, annotator: string, start = 3) => ({ file: 'a.wav', start, duration: 1, label, kind: 'label' as const, annotator, how: 'random' });

/** Waits (bounded) until `changes` holds a change that `pick` accepts. */
async function changeSeen(changes: ExternalChange[], pick: (c: ExternalChange) => boolean, what: string, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!changes.some(pick)) {
    if (Date.now() > until) throw new Error(`not seen within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('two annotators label one store at once, each in a journal of their own, and each sees the other\'s labels within 2 s', async (t) => {
  const dir = tempDir();
  const alice = await LabelStore.open(dir, { annotator: 'alice' });
  const bob = await LabelStore.open(dir, { annotator: 'bob' });
  t.after(() => {
    alice.close();
    bob.close();
  });
  assert.deepEqual(readdirSync(join(dir, 'journals')).filter((f) => f.endsWith('.jsonl')).sort(), ['alice.jsonl', 'bob.jsonl']);
  assert.deepEqual(activeWriters(dir).sort(), ['alice', 'bob'], 'who is labeling now');
  writeFileSync(join(dir, 'journals', 'carol.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: 'x' }));
  assert.deepEqual(activeWriters(dir).sort(), ['alice', 'bob'], 'a lock left by a killed hark is not someone labeling');
  const seenByAlice: ExternalChange[] = [];
  alice.follow((c) => seenByAlice.push(c), 300);
  const fromBob = await bob.add(rec('Music', 'bob'));
  await changeSeen(seenByAlice, (c) => c.added.some((r) => r.id === fromBob.id), "bob's label in alice's store");
  assert.ok(alice.records.some((r) => r.id === fromBob.id));
  await bob.remove(fromBob.id);
  await changeSeen(seenByAlice, (c) => c.retracted.some((r) => r.id === fromBob.id), "bob's undo in alice's store");
  assert.ok(!alice.records.some((r) => r.id === fromBob.id));

  const seenByBob: ExternalChange[] = [];
  bob.follow((c) => seenByBob.push(c), 300);
  const mine = await alice.add(rec('Speech', 'alice', 4));
  await changeSeen(seenByBob, (c) => c.added.some((r) => r.id === mine.id), "alice's label in bob's store");
  await bob.markSampled(mine.id); // a random draw of bob's landed on alice's clip
  await bob.add(rec('Tone', 'bob', 5));
  const both = readStore(dir).records;
  assert.deepEqual(both.map((r) => `${r.annotator}:${r.label}`), ['alice:Speech', 'bob:Tone']);
  assert.equal(both[0].sampled, true);
});

test('the same annotator twice on one store is refused, with the way out; a store opened without a name stays its own writer', async () => {
  const dir = tempDir();
  const alice = await LabelStore.open(dir, { annotator: 'alice' });
  await assert.rejects(LabelStore.open(dir, { annotator: 'alice' }), (err: Error) => err instanceof StoreError && /another --annotator/.test(err.message));
  const main = await LabelStore.open(dir);
  await assert.rejects(LabelStore.open(dir), /in use by process/);
  main.close();
  alice.close();
  assert.equal(existsSync(join(dir, 'journals', 'alice.lock')), false, 'the lock goes with the process');
});
