import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelDefs, labelNamesProblem, MAX_LABELS, resolveSettings } from '../../src/collection/settings.js';
import { UserError } from '../../src/domain/user-error.js';
import type { StoreConfig } from '../../src/store/schema.js';

const defaults = { clip: 1, context: 4, annotator: 'ann' };
const config = (c: Partial<StoreConfig> = {}): StoreConfig => ({ labels: [], ...c });

test('each setting comes from its flag, else the store, else the default, and says which', () => {
  const r = resolveSettings({ context: 8 }, config({ annotator: 'bob' }), { decisions: 0, defaults });
  assert.deepEqual(r.values, { clip: 1, context: 8, annotator: 'bob', target: undefined, labels: [] });
  assert.deepEqual(r.from, { clip: 'default', context: 'flag', annotator: 'store', labels: 'default', target: 'default' });
});

test('a flag that changes what later runs get is saved and said so in one line; one that changes nothing is quiet', () => {
  const changed = resolveSettings({ context: 1000 }, config({ context: 4 }), { decisions: 3, defaults });
  assert.deepEqual(changed.save, { context: 1000 });
  assert.deepEqual(changed.notices, ["Saved as this store's setting for later runs: --context 1000 s (was 4 s)."]);
  const same = resolveSettings({ context: 4 }, config(), { decisions: 3, defaults });
  assert.deepEqual(same.save, {});
  assert.deepEqual(same.notices, []);
});

test('a new clip length is taken by a store without decisions and refused, with the reason, by one that has some', () => {
  assert.deepEqual(resolveSettings({ clip: 2 }, config(), { decisions: 0, defaults }).save, { clip: 2 });
  const refused = resolveSettings({ clip: 2 }, config({ clip: 1 }), { decisions: 5, defaults });
  assert.equal(refused.values.clip, 1);
  assert.deepEqual(refused.save, {});
  assert.match(refused.notices.join('\n'), /already has labels on 1 s clips; keeping that length/);
});

test('--target is matched to the labels in any case, and one that names none is refused with the labels there are', () => {
  const labels = labelDefs(['Music', 'Speech']);
  assert.equal(resolveSettings({ target: 'speech' }, config({ labels }), { decisions: 0, defaults }).values.target, 'Speech');
  assert.throws(
    () => resolveSettings({ target: 'Nope' }, config({ labels }), { decisions: 0, defaults }),
    (e: Error) => e instanceof UserError && e.message === '--target Nope is not one of the labels: Music, Speech.',
  );
  // before the first-run screen has chosen labels, the target waits for them
  assert.equal(resolveSettings({ target: 'Tone' }, config(), { decisions: 0, defaults }).values.target, 'Tone');
});

test('--labels that give the store\'s labels other keys say which keys move', () => {
  const stored = labelDefs(['Music', 'Speech', 'Tone']);
  const r = resolveSettings({ labels: ['Speech', 'Music'] }, config({ labels: stored }), { decisions: 0, defaults });
  assert.deepEqual(r.save.labels, labelDefs(['Speech', 'Music']));
  assert.deepEqual(r.notices, ["--labels changes this store's keys: Music 1 → 2, Speech 2 → 1, Tone loses key 3."]);
  const same = resolveSettings({ labels: ['Music', 'Speech', 'Tone'] }, config({ labels: stored }), { decisions: 0, defaults });
  assert.deepEqual(same.notices, []);
  assert.equal(same.save.labels, undefined);
});

test('a label set that names a label twice, or more labels than hark has keys, is refused with the reason', () => {
  assert.equal(labelNamesProblem(['A', 'A']), 'names "A" twice');
  assert.equal(labelNamesProblem(['Music', 'music']), 'names "Music" and "music", which differ only in case');
  const many = Array.from({ length: 30 }, (_, i) => `L${i + 1}`);
  assert.equal(labelNamesProblem(many), `names 30 labels; hark has keys for ${MAX_LABELS}`);
  assert.equal(labelNamesProblem(many.slice(0, MAX_LABELS)), undefined);
  assert.ok(labelDefs(many.slice(0, MAX_LABELS)).every((l) => l.key !== ''), 'every label allowed has a key');
});
