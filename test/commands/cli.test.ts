import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeDemoCollection } from '../../src/audio/demo-collection.js';
import { LabelStore } from '../../src/store/label-store.js';
import { tempDir } from '../helpers/fixtures.js';

const HARK = resolve('bin/hark.js');
const hark = (...args: string[]) => spawnSync('node', [HARK, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: tempDir('hark-home-') } });

test('--help names every command', () => {
  const r = hark('--help');
  assert.equal(r.status, 0);
  for (const cmd of ['label', 'demo', 'export', 'import', 'stats']) assert.match(r.stdout, new RegExp(`\\n  ${cmd} `));
});

test('label without a terminal says why instead of hanging', () => {
  const r = hark('label', tempDir());
  assert.equal(r.status, 2);
  assert.match(r.stderr, /needs an interactive terminal/);
});

test('a missing media folder is a one-line error with exit code 1', () => {
  const missing = join(tempDir(), 'nope');
  const r = spawnSync('script', ['-qec', `node ${HARK} label ${missing}`, '/dev/null'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`hark: Media folder not found: ${missing}`));
});

test('bad option values are refused with the reason', () => {
  const r = hark('label', '.', '--clip', 'zero');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--clip.*must be a positive number/);
});

test('demo without a terminal writes the demo collection and says how to label it', () => {
  const dir = join(tempDir(), 'demo');
  const r = hark('demo', dir);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /hark label/);
  assert.ok(existsSync(join(dir, 'truth.csv')));
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.wav')).length, 4);
});

test('output piped into a reader that stops early (| head) ends quietly', async () => {
  const dir = join(tempDir(), 'store');
  const store = await LabelStore.open(dir);
  // far more than a pipe holds, so the writer is still writing when head has gone
  await store.addMany(Array.from({ length: 5000 }, (_, i) => ({ file: 'a.wav', start: i, duration: 1, label: 'Music', kind: 'label' as const, annotator: 'me', how: 'random' })));
  store.close();
  const r = spawnSync('bash', ['-c', `node ${HARK} export --store ${dir} --format jsonl | head -1 >/dev/null; echo \${PIPESTATUS[0]}`], { encoding: 'utf8' });
  assert.doesNotMatch(r.stderr, /EPIPE/);
  assert.equal(r.stdout.trim(), '0');
});

test('a commander error is the error and one hint, not the whole help scrolling it away', () => {
  const r = hark('label', '.', '--clip', 'zero');
  assert.equal(r.status, 1);
  assert.deepEqual(r.stderr.trimEnd().split('\n'), [
    "error: option '--clip <seconds>' argument 'zero' is invalid. must be a positive number",
    '(hark label --help lists its options)',
  ]);
});

test('Ctrl-C stops a long batch command with exit code 130 and says what the next run finds', async () => {
  const root = tempDir();
  const media = join(root, 'media');
  writeDemoCollection(media, { files: 4, seconds: 60, seed: 3 });
  const child = spawn('node', [HARK, 'simulate', media, '--truth', join(media, 'truth.csv'), '--target', 'Tone', '--budget', '20', '--store', join(root, 'store')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    if (/features: /.test(stderr) && !child.killed) child.kill('SIGINT'); // once, as a person presses it
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 130, stderr);
  assert.match(stderr, /hark: interrupted; the features extracted so far are kept: run the same command again and it resumes where it stopped\n$/);
});
