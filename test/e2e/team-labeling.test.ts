import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { readStore } from '../../src/store/label-store.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const HARK = resolve('bin/hark.js');

function annotator(media: string, store: string, name: string, seed: number) {
  return new TmuxTerminal(`node ${HARK} label '${media}' --store '${store}' --player none --annotator ${name} --seed ${seed} --overlap 0 --labels "A,B"`, {
    columns: 100,
    env: { HOME: tempDir('hark-home-') },
  });
}

/** Presses a label key and waits for the screen to acknowledge it (the session count going up). */
async function label(term: TmuxTerminal, key: string, acknowledged: number): Promise<number> {
  term.keys(key);
  await term.waitFor(new RegExp(`session ${acknowledged + 1} `));
  return acknowledged + 1;
}

test('two annotators label one store at once, one is killed -9 midway: every acknowledged label of both is kept and no clip went to both', async () => {
  // 1,200 one-second clips: two random queues six clips deep rarely meet before the other's labels arrive
  const { dir } = demoCollection({ files: 4, seconds: 300, sampleRate: 8000 });
  const store = join(tempDir(), 'store');
  const alice = annotator(dir, store, 'alice', 1);
  await alice.waitFor(/demo-0\d\.wav \d/);
  const bob = annotator(dir, store, 'bob', 2);
  await bob.waitFor(/demo-0\d\.wav \d/);

  let fromAlice = 0;
  let fromBob = 0;
  for (let i = 0; i < 4; i++) {
    fromAlice = await label(alice, '1', fromAlice);
    fromBob = await label(bob, '2', fromBob);
  }
  await bob.waitFor(/labeling now: alice 4/, 5000);
  await alice.waitFor(/labeling now: bob 4/, 5000);

  alice.keys('1'); // in flight when she is killed: saved or not, never half-saved
  process.kill(alice.pid(), 'SIGKILL');
  await alice.waitFor(() => alice.exited());
  for (let i = 0; i < 4; i++) fromBob = await label(bob, '2', fromBob);
  await bob.waitFor(/earlier: alice \d/, 5000); // her lock is left behind, but her process is gone
  bob.keys('q');
  await bob.waitFor(() => bob.exited());

  const records = readStore(store).records;
  const of = (name: string) => records.filter((r) => r.annotator === name);
  assert.ok(of('alice').length >= fromAlice && of('alice').length <= fromAlice + 1, `alice: ${fromAlice} acknowledged, ${of('alice').length} saved`);
  assert.equal(of('bob').length, fromBob);
  assert.ok(of('alice').every((r) => r.label === 'A') && of('bob').every((r) => r.label === 'B'), 'each label in its annotator\'s name');
  const clip = (r: { file: string; start: number }) => `${r.file}@${r.start}`;
  const both = of('alice').map(clip).filter((c) => of('bob').map(clip).includes(c));
  assert.deepEqual(both, [], 'with --overlap 0 no clip is labeled by both');

  const again = annotator(dir, store, 'alice', 3);
  await again.waitFor(/session 0 /);
  assert.match(again.screen(), new RegExp(`total ${records.length} `), "alice's restart counts everyone's labels");
  again.keys('q');
  await again.waitFor(() => again.exited());
});
