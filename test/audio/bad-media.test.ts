import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeClip } from '../../src/audio/decode.js';
import { MediaError } from '../../src/audio/ffmpeg.js';
import { probeMedia } from '../../src/audio/probe.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { scanMedia } from '../../src/audio/scan.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { wavHeader } from '../helpers/wav-header.js';

const FUZZ_COUNT = Number(process.env.HARK_FUZZ ?? 120);

test(`${FUZZ_COUNT} mutated audio headers each end in a result or a clean error, in bounded time`, async () => {
  const { dir } = demoCollection({ files: 1, seconds: 3 });
  const wav = readFileSync(join(dir, 'demo-01.wav'));
  const mp3Path = join(dir, 'seed.mp3');
  execFileSync('ffmpeg', ['-v', 'error', '-i', join(dir, 'demo-01.wav'), '-b:a', '32k', mp3Path]);
  const seeds = [wav, readFileSync(mp3Path)];
  const rand = seededRandom(11);
  const fuzzDir = tempDir();
  const paths: string[] = [];
  for (let i = 0; i < FUZZ_COUNT; i++) {
    const bytes = Buffer.from(seeds[i % 2]);
    const flips = 1 + Math.floor(rand() * 8);
    for (let f = 0; f < flips; f++) bytes[Math.floor(rand() * 128)] = Math.floor(rand() * 256);
    const cut = rand() < 0.3 ? Math.floor(rand() * bytes.length) : bytes.length;
    const path = join(fuzzDir, `fuzz-${i}${i % 2 ? '.mp3' : '.wav'}`);
    writeFileSync(path, bytes.subarray(0, cut));
    paths.push(path);
  }
  let results = 0;
  let errors = 0;
  const worst = { ms: 0 };
  const one = async (path: string) => {
    const t0 = Date.now();
    try {
      const info = await probeMedia(path);
      await decodeClip(path, Math.max(0, Math.min(info.duration - 1, 1)), 1, { sampleRate: 16000 });
      results++;
    } catch (err) {
      assert.ok(err instanceof MediaError, `${path}: ${err}`);
      errors++;
    }
    worst.ms = Math.max(worst.ms, Date.now() - t0);
  };
  for (let i = 0; i < paths.length; i += 4) await Promise.all(paths.slice(i, i + 4).map(one));
  assert.equal(results + errors, FUZZ_COUNT);
  assert.ok(worst.ms < 20_000, `slowest input took ${worst.ms} ms`);
});

test('a WAV whose header promises more audio than it holds still plays what is there', async () => {
  const dir = tempDir();
  const rate = 8000;
  const real = Buffer.alloc(rate * 2 * 2);
  for (let i = 0; i < real.length / 2; i++) real.writeInt16LE(Math.round(8000 * Math.sin(i / 3)), i * 2);
  const path = join(dir, 'liar.wav');
  writeFileSync(path, Buffer.concat([wavHeader(rate, rate * 2 * 60), real]));
  const { files } = await scanMedia(dir);
  assert.equal(files.length, 1);
  const clip = await decodeClip(path, 0.5, 1, { sampleRate: rate });
  assert.equal(clip.length, rate);
  const past = await decodeClip(path, 30, 1, { sampleRate: rate });
  assert.ok(past.length < rate, 'beyond the real end there is nothing to play, and no crash');
});

test('a 10-hour recording is scanned into 36,000 windows and a clip from its middle decodes quickly', async () => {
  const dir = tempDir();
  const rate = 8000;
  const bytes = rate * 2 * 36_000;
  const path = join(dir, 'ten hours.wav');
  writeFileSync(path, wavHeader(rate, bytes));
  truncateSync(path, 44 + bytes); // sparse: ten hours of silence without writing 576 MB
  const { files } = await scanMedia(dir);
  assert.ok(Math.abs(files[0].duration - 36_000) < 1);
  const t0 = Date.now();
  const clip = await decodeClip(path, 18_000, 1, { sampleRate: rate });
  assert.equal(clip.length, rate);
  assert.ok(Date.now() - t0 < 5000);
});
