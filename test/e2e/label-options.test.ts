import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labelDefs } from '../../src/collection/settings.js';
import { LabelStore } from '../../src/store/label-store.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { readStore } from '../../src/store/label-store.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const HARK = resolve('bin/hark.js');
const CLIP_SHOWN = /demo-0\d\.wav \d:\d\d:\d\d\.\d/;

const config = (store: string) => readStore(store).config;

function labeler(args: string) {
  return new TmuxTerminal(`node ${HARK} label ${args} --player none --seed 7`, { env: { HOME: tempDir('hark-home-') } });
}

const exitStatus = (term: TmuxTerminal) => Number(term.tmux('list-panes', '-t', 'main', '-F', '#{pane_dead_status}').trim());

/** A terminal for a command that needs one but ends at once; its output and exit code. */
function inTerminal(args: string): { status: number | null; output: string } {
  const r = spawnSync('script', ['-qec', `node ${HARK} ${args}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, HOME: tempDir('hark-home-') } });
  return { status: r.status, output: r.stdout };
}

test('--clip on a new store works the first time, and the store keeps that length', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 12 });
  const store = join(tempDir(), 'store');
  const term = labeler(`'${dir}' --store '${store}' --clip 2 --labels Tone,Noise`);
  await term.waitFor(CLIP_SHOWN);
  assert.equal(config(store).clip, 2);
  term.keys('q');
  await term.waitFor(() => term.exited());
  assert.equal(exitStatus(term), 0, term.output());
  assert.doesNotMatch(term.output(), /in use by process/);
});

test('SIGTERM ends the labeler as q does: the store is unlocked and the next run opens it', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 12 });
  const store = join(tempDir(), 'store');
  const term = labeler(`'${dir}' --store '${store}' --labels Tone,Noise`);
  await term.waitFor(CLIP_SHOWN);
  assert.ok(existsSync(join(store, 'lock')), 'the running labeler holds the lock');
  process.kill(term.pid(), 'SIGTERM');
  await term.waitFor(() => term.exited());
  assert.equal(existsSync(join(store, 'lock')), false, `lock left behind; screen:\n${term.output()}`);
  (await LabelStore.open(store)).close();
});

test('before the screen, the labeler says which flags became the store settings, which keys moved, and which key remaps it ignores', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 12 });
  const store = join(tempDir(), 'store');
  const s = await LabelStore.open(store);
  await s.setConfig({ mediaRoot: dir, labels: labelDefs(['Tone', 'Noise', 'Chirp']), keys: { x: 'undoo' } });
  s.close();
  const term = labeler(`--store '${store}' --context 1000 --labels Noise,Tone,Chirp`);
  await term.waitFor(CLIP_SHOWN);
  const before = term.output();
  assert.match(before, /Saved as this store's setting for later runs: --context 1000 s \(was 4 s\)\./);
  assert.match(before, /--labels changes this store's keys: Tone 1 → 2, Noise 2 → 1\./);
  assert.match(before, /Ignored in the store's config\.keys \(no such command\): "x": "undoo"/);
  term.keys('q');
  await term.waitFor(() => term.exited());
});

test('an unknown --player is one line naming the modes and exit code 1, not a stack trace', () => {
  const { dir } = demoCollection({ files: 1, seconds: 4 });
  const r = inTerminal(`label '${dir}' --store '${join(tempDir(), 'store')}' --player gramophone`);
  assert.equal(r.status, 1, r.output);
  assert.match(r.output, /'gramophone' is invalid\. use one of auto, speaker, aplay, paplay, ffplay, none, tcp:\/\/host:port/);
  assert.doesNotMatch(r.output, /^\s+at /m);
});

test('a media folder with no recordings is a one-line error and leaves no empty store behind', () => {
  const empty = tempDir();
  const store = join(tempDir(), 'store');
  const r = inTerminal(`label '${empty}' --store '${store}' --labels A,B`);
  assert.equal(r.status, 1, r.output);
  assert.match(r.output, /hark: No playable recordings in /);
  assert.equal(existsSync(store), false);
});

test('--labels that names a label twice, or more labels than there are keys, is refused with the reason', () => {
  const { dir } = demoCollection({ files: 1, seconds: 4 });
  const store = join(tempDir(), 'store');
  const twice = inTerminal(`label '${dir}' --store '${store}' --labels A,B,A`);
  assert.equal(twice.status, 1, twice.output);
  assert.match(twice.output, /--labels.*names "A" twice/);
  const many = Array.from({ length: 30 }, (_, i) => `L${i + 1}`).join(',');
  const tooMany = inTerminal(`label '${dir}' --store '${store}' --labels ${many}`);
  assert.equal(tooMany.status, 1, tooMany.output);
  assert.match(tooMany.output, /names 30 labels; hark has keys for 27/);
  assert.equal(existsSync(store), false, 'nothing was saved');
});
