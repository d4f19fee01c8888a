import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readStore } from '../../src/store/label-store.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const HARK = resolve('bin/hark.js');
const CLIP_SHOWN = /demo-0\d\.wav \d:\d\d:\d\d\.\d/;
const LABELS = '--labels Tone,Noise,Chirp,Music,Silence --target Tone';

/** A terminal for a command that needs one but ends at once; its output and exit code. */
function inTerminal(args: string): { status: number | null; output: string } {
  const r = spawnSync('script', ['-qec', `node ${HARK} ${args}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, HOME: tempDir('hark-home-') } });
  return { status: r.status, output: r.stdout };
}

/** Random clips are dealt while the features are extracted: once they are, skips clips (s) until one shown matches `reason`. */
async function skipUntil(term: TmuxTerminal, reason: RegExp): Promise<void> {
  const deadline = Date.now() + 300_000;
  const clip = () => CLIP_SHOWN.exec(term.screen())?.[0];
  await term.waitFor(() => CLIP_SHOWN.test(term.screen()) && /model v\d+/.test(term.screen()), 240_000);
  for (let skipped = 0; !reason.test(term.screen()); skipped++) {
    assert.ok(skipped < 40 && Date.now() < deadline, `no clip shown as ${reason} after ${skipped} skips; screen:\n${term.screen()}`);
    const before = clip();
    term.keys('s');
    await term.waitFor(() => clip() !== undefined && clip() !== before, 30_000);
  }
}

test('until the target has a positive, the labeler shows the clips it explores with the reason "explore"', async () => {
  const { dir } = demoCollection({ files: 2, seconds: 30, seed: 11 });
  const term = new TmuxTerminal(`node ${HARK} label '${dir}' --store '${join(tempDir(), 'store')}' ${LABELS} --player none --seed 7`, {
    env: { HOME: tempDir('hark-home-') },
  });
  await skipUntil(term, /explore/);
  term.keys('q');
  await term.waitFor(() => term.exited(), 30_000);
});

test('hark label --example puts the clips most like the example first, saying "similar to example", and saves the example', async () => {
  const { dir, truth } = demoCollection({ files: 3, seconds: 40, seed: 11 });
  const tone = truth.find((r) => r.label === 'Tone' && r.end - r.start >= 2)!;
  const store = join(tempDir(), 'store');
  const example = `${tone.file}@${tone.start + 1}`;
  const term = new TmuxTerminal(`node ${HARK} label '${dir}' --store '${store}' ${LABELS} --example ${example} --player none --seed 7`, {
    env: { HOME: tempDir('hark-home-') },
  });
  await skipUntil(term, /similar to example/);
  term.keys('q');
  await term.waitFor(() => term.exited(), 30_000);
  const examples = readStore(store).records.filter((r) => r.how === 'example');
  assert.deepEqual(
    examples.map((r) => [r.file, r.start, r.label]),
    [[tone.file, Math.floor(tone.start + 1), 'Tone']],
  );
});

test('an example recording from outside the collection is kept in the store, and later runs on the target learn from it too', async () => {
  const { dir } = demoCollection({ files: 3, seconds: 40, seed: 11 });
  const { dir: elsewhere } = demoCollection({ files: 1, seconds: 3, seed: 2, weights: { Tone: 1, Noise: 0, Chirp: 0, Music: 0, Silence: 0 } });
  const outside = join(elsewhere, 'demo-01.wav');
  const store = join(tempDir(), 'store');
  const run = async (flags: string) => {
    const term = new TmuxTerminal(`node ${HARK} label '${dir}' --store '${store}' ${LABELS} ${flags} --player none --seed 7`, { env: { HOME: tempDir('hark-home-') } });
    // an outside recording joins once every feature is extracted: it is standardised with the whole collection's
    await term.waitFor(() => /model v\d+/.test(term.screen()) && !/features \d+%/.test(term.screen()), 240_000);
    await skipUntil(term, /similar to example/);
    term.keys('q');
    await term.waitFor(() => term.exited(), 30_000);
  };
  await run(`--example '${outside}'`);
  const kept = readdirSync(join(store, 'examples', 'Tone'));
  assert.equal(kept.length, 1);
  assert.match(kept[0], /^[0-9a-f]{12}-demo-01\.wav$/);
  assert.deepEqual(readFileSync(join(store, 'examples', 'Tone', kept[0])), readFileSync(outside), 'a copy: the original may be gone later');
  rmSync(elsewhere, { recursive: true });
  await run(''); // no --example: the kept recording still puts its nearest clips first
  assert.equal(readdirSync(join(store, 'examples', 'Tone')).length, 1);
});

test('a bad --example is one line saying what is wrong, exit code 1, and nothing saved', () => {
  const { dir } = demoCollection({ files: 1, seconds: 6 });
  const notAudio = join(tempDir(), 'notes.wav');
  writeFileSync(notAudio, 'not audio\n');
  const cases: [string, RegExp][] = [
    [`--example ${join(dir, 'gone.wav')}`, /hark: --example .*gone\.wav: no such file/],
    ['--example demo-01.wav@0:09', /hark: --example demo-01\.wav@0:09: demo-01\.wav is only 0:00:06\.0 long/],
    [`--example ${notAudio}`, /hark: --example .*notes\.wav: not audio hark can decode/],
  ];
  for (const [flag, message] of cases) {
    const store = join(tempDir(), 'store');
    const r = inTerminal(`label '${dir}' --store '${store}' ${LABELS} ${flag} --player none`);
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, message);
    assert.equal(r.output.split('\n').filter((l) => l.includes('hark:')).length, 1, r.output);
    assert.doesNotMatch(r.output, /^\s+at /m, 'no stack trace');
    assert.equal(readStore(store).records.length, 0);
  }
  const noTarget = inTerminal(`label '${dir}' --store '${join(tempDir(), 'store')}' --labels Tone,Noise --example demo-01.wav@1 --player none`);
  assert.equal(noTarget.status, 1, noTarget.output);
  assert.match(noTarget.output, /--example needs a target/);
});
