import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { readStore } from '../../src/store/label-store.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const HARK = resolve('bin/hark.js');

interface StoredRecord {
  label: string;
  kind: string;
  file: string;
  start: number;
  how: string;
}

const records = (store: string): StoredRecord[] => readStore(store).records;

function labeler(media: string, store: string, extra = '') {
  return new TmuxTerminal(`node ${HARK} label '${media}' --store '${store}' --player none --seed 7 ${extra}`, {
    env: { HOME: tempDir('hark-home-') },
  });
}

test('labeling by keystrokes in a real terminal: label, skip, undo, quit, and the store has exactly what was acknowledged', async () => {
  const { dir } = demoCollection({ files: 2, seconds: 12 });
  const store = join(tempDir(), 'store');
  const term = labeler(dir, store, '--labels "Tone,Noise,Chirp"');
  await term.waitFor(/demo-0\d\.wav \d:\d\d:\d\d\.\d/);
  assert.match(term.screen(), /1 Tone 0\s+2 Noise 0\s+3 Chirp 0/);
  const firstClip = /demo-0\d\.wav \d:\d\d:\d\d\.\d/.exec(term.screen())![0];
  term.keys('1');
  await term.waitFor(/session 1 /);
  term.keys('2');
  await term.waitFor(/session 2 /);
  term.keys('s');
  await term.waitFor(/session 3 /);
  term.keys('u');
  await term.waitFor(/undone: Skipped/);
  term.keys('3');
  await term.waitFor(/session 3 /);
  assert.match(term.screen(), /1 Tone 1\s+2 Noise 1\s+3 Chirp 1/);
  term.keys('q');
  await term.waitFor(() => term.exited());
  const saved = records(store);
  assert.deepEqual(saved.map((r) => r.label), ['Tone', 'Noise', 'Chirp']);
  assert.ok(saved.every((r) => r.how === 'random' && r.kind === 'label'));
  assert.equal(`${saved[0].file}`, firstClip.split(' ')[0]);
  assert.equal(new Set(saved.map((r) => `${r.file}@${r.start}`)).size, 3, 'no clip is shown twice');

  const resumed = labeler(dir, store);
  await resumed.waitFor(/session 0 /);
  assert.match(resumed.screen(), /1 Tone 1\s+2 Noise 1\s+3 Chirp 1/, 'the next run resumes with the saved labels and counts, no flags needed');
  resumed.keys('q');
  await resumed.waitFor(() => resumed.exited());
});

test('label keys typed ahead, faster than saves, each label the next clip and none is lost', async () => {
  const { dir } = demoCollection({ files: 2, seconds: 12 });
  const store = join(tempDir(), 'store');
  const term = labeler(dir, store, '--labels "Tone,Noise,Chirp"');
  await term.waitFor(/demo-0\d\.wav \d:\d\d:\d\d\.\d/);
  term.keys('1', '2', '3', '1', '2');
  await term.waitFor(/session 5 /);
  assert.match(term.screen(), /1 Tone 2\s+2 Noise 2\s+3 Chirp 1/);
  term.keys('q');
  await term.waitFor(() => term.exited());
  const saved = records(store);
  assert.deepEqual(saved.map((r) => r.label), ['Tone', 'Noise', 'Chirp', 'Tone', 'Noise']);
  assert.equal(new Set(saved.map((r) => `${r.file}@${r.start}`)).size, 5, 'each key labeled its own clip');
});

const KILLS = Number(process.env.HARK_KILLS ?? 8);

test(`kill -9 at ${KILLS} random moments loses no acknowledged label; the store always parses and the next run resumes`, async () => {
  const { dir } = demoCollection({ files: 2, seconds: 60 });
  const store = join(tempDir(), 'store');
  const rand = seededRandom(99);
  let acknowledged = 0;
  let pressed = 0;
  for (let round = 0; round < KILLS; round++) {
    const term = labeler(dir, store, round === 0 ? '--labels "A,B"' : '');
    await term.waitFor(/demo-0\d\.wav/);
    assert.match(term.screen(), new RegExp(`total ${records(store).filter((r) => r.kind === 'label').length} `), 'resumes with every saved label');
    const presses = 1 + Math.floor(rand() * 4);
    let shown = 0;
    for (let i = 1; i <= presses; i++) {
      term.keys(String(1 + (i % 2)));
      pressed++;
      if (i < presses) {
        await term.waitFor(new RegExp(`session ${i} `));
        shown = i;
      }
    }
    // the last key is in flight: kill while it may be saving, being drawn, or already done
    await new Promise((r) => setTimeout(r, rand() * 40));
    shown = Number(/session (\d+) /.exec(term.screen())?.[1] ?? shown);
    process.kill(term.pid(), 'SIGKILL');
    await term.waitFor(() => term.exited());
    acknowledged += shown;
    const saved = records(store).length;
    assert.ok(saved >= acknowledged, `kill ${round + 1}: ${acknowledged} acknowledged, only ${saved} saved`);
    assert.ok(saved <= pressed, `kill ${round + 1}: ${saved} saved from ${pressed} keys`);
    acknowledged = saved;
  }
});

test('the screen stays readable in a 60x15 terminal and after a resize', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 5 });
  const store = join(tempDir(), 'store');
  const term = new TmuxTerminal(`node ${HARK} label '${dir}' --store '${store}' --player none --labels 'Music,Speech'`, {
    columns: 60,
    rows: 15,
    env: { HOME: tempDir('hark-home-') },
  });
  const small = await term.waitFor(/session 0 /);
  assert.match(small, /1 Music 0/);
  assert.match(small, /q quit/);
  term.resize(100, 30);
  await term.waitFor(/session 0 /);
  term.resize(40, 10);
  await term.waitFor(/\? help · q quit · a taller/);
  await term.waitFor(/demo-01\.wav \d:\d\d:\d\d\.\d/); // a 40x10 terminal still shows the clip's file and time
  assert.equal(term.exited(), false, 'a 40x10 terminal does not crash the labeler');
  term.resize(80, 24);
  await term.waitFor(/session 0 /);
  term.keys('?');
  await term.waitFor(/hark — keys/);
  term.keys('?', 'q');
  await term.waitFor(() => term.exited());
});

test('NO_COLOR turns colour off: a loudness strip, no colour codes', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 5 });
  const store = join(tempDir(), 'store');
  const term = new TmuxTerminal(`node ${HARK} label '${dir}' --store '${store}' --player none --labels 'Music,Speech'`, {
    env: { HOME: tempDir('hark-home-'), NO_COLOR: '1' },
  });
  await term.waitFor(/[▁▂▃▄▅▆▇█]{10}/);
  const styled = term.tmux('capture-pane', '-p', '-e', '-t', 'main');
  assert.doesNotMatch(styled, /\u001b\[(3|4)8;/, 'no foreground or background colours');
  term.keys('q');
  await term.waitFor(() => term.exited());
});

test('a target typed in another case hunts the label of that name, and one that names no label is refused before anything is saved', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 12 });
  const store = join(tempDir(), 'store');
  const term = labeler(dir, store, '--labels "Tone,Noise" --target tone');
  await term.waitFor(/demo-01\.wav \d:\d\d:\d\d\.\d/); // a clip to label is on screen
  assert.match(term.screen(), /target Tone/);
  term.keys('1');
  await term.waitFor(/Tone: 1 found/);
  term.keys('q');
  await term.waitFor(() => term.exited());
  assert.equal(readStore(store).config.target, 'Tone');

  const refused = labeler(dir, store, '--target Applause');
  await refused.waitFor(() => refused.exited());
  assert.match(refused.output(), /--target Applause is not one of the labels: Tone, Noise/);
  assert.equal(readStore(store).config.target, 'Tone', 'the store keeps its target');
});

test('TERM=dumb is refused with a clear line instead of cursor and screen-clearing escapes', () => {
  const { dir } = demoCollection({ files: 1, seconds: 5 });
  const store = join(tempDir(), 'store');
  // script gives hark a terminal and hands back its exit code
  const r = spawnSync('script', ['-qec', `node ${HARK} label '${dir}' --store '${store}' --player none --labels 'Music,Speech'`, '/dev/null'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HOME: tempDir('hark-home-'), TERM: 'dumb' },
  });
  assert.match(r.stdout, /hark label draws a full screen, which a dumb terminal \(TERM=dumb\) cannot show/);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no escape sequences');
  assert.equal(r.status, 2);
});
