import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LabelStore } from '../../src/store/label-store.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { readStore } from '../../src/store/label-store.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const HARK = resolve('bin/hark.js');
const CTRL_C = '\u0003';
const ESC = '\u001b';

function labeler(media: string, store: string, extra = '') {
  return new TmuxTerminal(`node ${HARK} label '${media}' --store '${store}' --player none --seed 7 ${extra}`, {
    env: { HOME: tempDir('hark-home-') },
  });
}

const config = (store: string) => readStore(store).config;

test('Ctrl+C on the first-run label-set screen quits, says nothing was labeled, and leaves the store unlocked and unlabeled', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 5 });
  const store = join(tempDir(), 'store');
  const term = labeler(dir, store);
  await term.waitFor(/Choose a\s+label set/);
  term.keys(CTRL_C);
  await term.waitFor(() => term.exited());
  assert.match(term.screen(), /No label set chosen; nothing was labeled/);
  assert.equal(existsSync(join(store, 'lock')), false, 'the store is not left locked');
  assert.deepEqual(config(store).labels, []);
});

test('q on the label-set list quits too; in the own-labels box Esc goes back to the list and Ctrl+C quits', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 5 });
  const store = join(tempDir(), 'store');
  const term = labeler(dir, store);
  await term.waitFor(/My own labels/);
  term.keys('4');
  await term.waitFor(/Type your labels/);
  term.keys('Host, q');
  await term.waitFor(/Host, q/);
  term.keys(ESC);
  await term.waitFor(/My own labels/);
  term.keys('4');
  await term.waitFor(/Type your labels/);
  term.keys(CTRL_C);
  await term.waitFor(() => term.exited());
  assert.equal(existsSync(join(store, 'lock')), false);

  const again = labeler(dir, store);
  await again.waitFor(/My own labels/);
  again.keys('q');
  await again.waitFor(() => again.exited());
  assert.match(again.screen(), /No label set chosen/);
});

test('Esc in the t picker keeps the target, and Ctrl+C there quits with every label saved', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 12 });
  const store = join(tempDir(), 'store');
  const term = labeler(dir, store, '--labels "Tone,Noise" --target Tone');
  await term.waitFor(/demo-01\.wav \d:\d\d:\d\d\.\d/);
  term.keys('t');
  await term.waitFor(/Which label should hark hunt for/);
  term.keys('j', ESC);
  await term.waitFor(/session 0 .*target Tone/);
  term.keys('1');
  await term.waitFor(/session 1 /);
  term.keys('t');
  await term.waitFor(/Which label should hark hunt for/);
  term.keys(CTRL_C);
  await term.waitFor(() => term.exited());
  assert.match(term.screen(), /Labels saved in/);
  assert.equal(existsSync(join(store, 'lock')), false);
  assert.equal(config(store).target, 'Tone');
});

test('a store holding labels from an import offers its own label names first, most used first, and a preset keeps them', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 12 });
  const store = join(tempDir(), 'store');
  const labels = await LabelStore.open(store);
  const decision = (start: number, label: string) => ({ file: 'demo-01.wav', start, duration: 1, label, kind: 'label' as const, annotator: 'import', how: 'import' });
  await labels.addMany([decision(0, 'Music'), decision(1, 'Carol Hills'), decision(2, 'Carol Hills'), decision(3, 'Applause')]);
  labels.close();

  const term = labeler(dir, store);
  const screen = await term.waitFor(/My own labels/);
  assert.doesNotMatch(screen, /no labels yet/);
  assert.match(screen, /holds decisions under 3 label/);
  assert.match(screen, /1 This store's labels: Carol Hills, Applause, Music/);
  assert.match(screen, /2 HiPSTAS \+ this store's: Background Speaker, Music, Silence, Multiple\s+Speakers, Noise, Carol Hills, Applause/);
  term.keys('2');
  await term.waitFor(/session 0 /);
  assert.match(term.screen(), /6 Carol Hills 2\s+7 Applause 1/);
  term.keys('q');
  await term.waitFor(() => term.exited());
  assert.deepEqual(
    config(store).labels.map((l: { name: string }) => l.name),
    ['Background Speaker', 'Music', 'Silence', 'Multiple Speakers', 'Noise', 'Carol Hills', 'Applause'],
  );
});
