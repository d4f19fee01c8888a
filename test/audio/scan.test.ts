import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanMedia } from '../../src/audio/scan.js';
import { type ProbeCache } from '../../src/domain/media.js';
import type { ProbeInfo } from '../../src/domain/media.js';
import { decodeClip } from '../../src/audio/decode.js';
import { demoCollection } from '../helpers/fixtures.js';

function messyCollection() {
  const { dir } = demoCollection({ files: 1, seconds: 6 });
  const good = join(dir, 'demo-01.wav');
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  execFileSync('ffmpeg', ['-v', 'error', '-i', good, '-c:a', 'libmp3lame', '-b:a', '64k', join(dir, 'sub', 'deeper', 'it\'s "a" name.mp3')]);
  copyFileSync(good, join(dir, 'sub', 'line\nbreak.wav'));
  writeFileSync(join(dir, 'empty.mp3'), '');
  writeFileSync(join(dir, 'notes.mp3'), 'this is not audio, just a text file named .mp3\n');
  mkdirSync(join(dir, 'folder.wav'));
  writeFileSync(join(dir, 'truncated.wav'), readFileSync(good).subarray(0, 30));
  symlinkSync('..', join(dir, 'sub', 'loop'));
  writeFileSync(join(dir, 'readme.txt'), 'ignored: not a media extension');
  writeFileSync(Buffer.concat([Buffer.from(dir + '/latin1-'), Buffer.from([0xe9, 0xff]), Buffer.from('.wav')]), readFileSync(good));
  return dir;
}

test('a messy folder yields every playable file and a reason for each bad one, without crashing', async () => {
  const dir = messyCollection();
  const { files, problems } = await scanMedia(dir);
  assert.deepEqual(files.map((f) => f.path).sort(), ['demo-01.wav', 'sub/deeper/it\'s "a" name.mp3', 'sub/line\nbreak.wav'].sort());
  for (const f of files) assert.ok(Math.abs(f.duration - 6) < 0.2, `${f.path} lasts ${f.duration}`);
  const reasons = Object.fromEntries(problems.map((p) => [p.path, p.reason]));
  assert.match(reasons['empty.mp3'], /empty/);
  assert.equal(reasons['folder.wav'], undefined, 'a folder named .wav is walked as a folder');
  assert.ok(reasons['notes.mp3'], 'a text file named .mp3 is reported');
  assert.ok(reasons['truncated.wav'], 'a truncated header is reported');
  assert.match(reasons['latin1-\uFFFD\uFFFD.wav'] ?? '', /not valid UTF-8/);
});

test('an unchanged folder is rescanned from the probe cache without probing again', async () => {
  const { dir } = demoCollection({ files: 3, seconds: 3 });
  const data: Record<string, ProbeInfo> = {};
  let probes = 0;
  const cache: ProbeCache = { get: (k) => data[k], set: (k, v) => { probes++; data[k] = v; } };
  await scanMedia(dir, { cache });
  assert.equal(probes, 3);
  const again = await scanMedia(dir, { cache });
  assert.equal(probes, 3);
  assert.equal(again.files.length, 3);
});

test('a clip decoded after a seek matches the same samples decoded from the start', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 8, seed: 4 });
  const abs = join(dir, 'demo-01.wav');
  const whole = await decodeClip(abs, 0, 8, { sampleRate: 16000 });
  const clip = await decodeClip(abs, 5, 1, { sampleRate: 16000 });
  assert.equal(clip.length, 16000);
  let maxDiff = 0;
  for (let i = 0; i < clip.length; i++) maxDiff = Math.max(maxDiff, Math.abs(clip[i] - whole[5 * 16000 + i]));
  assert.ok(maxDiff < 1e-3, `max difference ${maxDiff}`);
});
