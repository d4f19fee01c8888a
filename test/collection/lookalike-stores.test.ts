import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStoreDir, defaultStoresRoot, openCollection } from '../../src/collection/open-collection.js';
import { StoreError } from '../../src/store/store-error.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';

test('a renamed media folder does not start an empty store: hark names the store that holds its labels and how to use it', async () => {
  process.env.XDG_DATA_HOME = tempDir('hark-data-');
  const { dir } = demoCollection({ files: 3, seconds: 4 });
  const first = await openCollection({ media: dir });
  await first.store.add({ file: first.files[0].path, start: 1, duration: 1, label: 'Music', kind: 'label', annotator: 'a', how: 'random' });
  const oldStore = first.store.dir;
  first.store.close();

  const renamed = `${dir}-digitised-2024`;
  renameSync(dir, renamed);
  await assert.rejects(openCollection({ media: renamed }), (err: Error) => {
    assert.ok(err instanceof StoreError);
    assert.match(err.message, /has no store yet, but these stores hold labels for the same files/);
    assert.ok(err.message.includes(`${oldStore}: 1 labels, made for ${dir} (100% of these files)`), err.message);
    assert.ok(err.message.includes(`--store '${oldStore}'`), err.message);
    return true;
  });
  assert.deepEqual(readdirSync(defaultStoresRoot()), [oldStore.split('/').pop()], 'no empty store was made');

  const resumed = await openCollection({ media: renamed, store: oldStore });
  assert.equal(resumed.store.records.length, 1);
  assert.equal(resumed.files.length, 3);
  resumed.store.close();
  const fresh = await openCollection({ media: renamed, store: defaultStoreDir(renamed) });
  assert.equal(fresh.store.records.length, 0, 'naming the default store starts it empty, as the hint says');
  fresh.store.close();
});

test('a folder whose files no store has seen gets its new store without a word', async () => {
  process.env.XDG_DATA_HOME = tempDir('hark-data-');
  const { dir } = demoCollection({ files: 2, seconds: 4, seed: 5 });
  const other = demoCollection({ files: 2, seconds: 6, seed: 6 });
  const labeled = await openCollection({ media: other.dir });
  await labeled.store.add({ file: labeled.files[0].path, start: 1, duration: 1, label: 'Music', kind: 'label', annotator: 'a', how: 'random' });
  labeled.store.close();
  const collection = await openCollection({ media: dir });
  assert.ok(existsSync(join(collection.store.dir, 'hark.json')));
  collection.store.close();
});
