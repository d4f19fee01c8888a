import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { readStore } from '../../src/store/label-store.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const HARK = resolve('bin/hark.js');

test('in a real terminal, + and a label key give a clip a second label; Esc cancels a +; the store keeps both labels of each clip', async () => {
  const { dir } = demoCollection({ files: 2, seconds: 12 });
  const store = join(tempDir(), 'store');
  const term = new TmuxTerminal(`node ${HARK} label '${dir}' --store '${store}' --player none --seed 7 --labels "Tone,Noise,Chirp"`, {
    env: { HOME: tempDir('hark-home-') },
  });
  await term.waitFor(/demo-0\d\.wav \d:\d\d:\d\d\.\d/);
  const clip = () => /demo-0\d\.wav \d:\d\d:\d\d\.\d/.exec(term.screen())![0];
  const first = clip();
  term.keys('+');
  await term.waitFor(/this clip: \?/);
  term.keys('2');
  await term.waitFor(/this clip: Noise \(/);
  assert.equal(clip(), first, 'the clip stays');
  term.keys('1');
  await term.waitFor(/session 1 /);
  assert.match(term.screen(), /1 Tone 1\s+2 Noise 1\s+3 Chirp 0/);
  term.keys('+');
  await term.waitFor(/this clip: \?/);
  term.keys('3');
  await term.waitFor(/this clip: Chirp \(/);
  term.keys('+');
  await term.waitFor(/this clip: Chirp \+ \?/);
  term.keys('\u001b');
  await term.waitFor(/\+ cancelled/);
  term.keys('2');
  await term.waitFor(/session 2 /);
  term.keys('q');
  await term.waitFor(() => term.exited());
  const saved = readStore(store).records;
  assert.deepEqual(saved.map((r) => r.labels), [['Noise', 'Tone'], ['Chirp', 'Noise']]);
  assert.equal(`${saved[0].file}`, first.split(' ')[0]);
});
