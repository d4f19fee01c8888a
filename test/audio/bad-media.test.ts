import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeClip } from '../../src/audio/decode.js';
import { MediaError } from '../../src/audio/ffmpeg.js';
import { probeMedia } from '../../src/audio/probe.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { scanMedia } from '../../src/audio/scan.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { wavHeader } from '../helpers/wav-header.js';
import type { ProbeInfo } from '../../src/domain/media.js';

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

/** A 60-second MP3 made by ffmpeg, with its Xing/Info frame count where the test can patch it. */
function sixtySecondMp3(dir: string): { bytes: Buffer; framesAt: number } {
  const path = join(dir, 'source.mp3');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=60', '-ar', '44100', '-b:a', '160k', path]);
  const bytes = readFileSync(path);
  rmSync(path);
  const info = Math.max(bytes.indexOf('Info'), bytes.indexOf('Xing'));
  assert.ok(info > 0, 'ffmpeg writes an Info frame into a CBR MP3');
  return { bytes, framesAt: info + 8 };
}

test('an MP3 whose header claims millions of seconds is used for the minute that decodes, and listed as damaged', async () => {
  const dir = tempDir();
  const { bytes, framesAt } = sixtySecondMp3(dir);
  const patched = Buffer.from(bytes);
  patched.writeUInt32BE(0x10000000, framesAt); // 268 million frames: about 7 million seconds at 44100 Hz; the file is over 1 MB, so the end is found by seeking
  writeFileSync(join(dir, 'liar.mp3'), patched);
  const cache = new Map<string, ProbeInfo>();
  const { files, problems } = await scanMedia(dir, { cache });
  assert.equal(files.length, 1);
  assert.ok(Math.abs(files[0].duration - 60) < 1.5, `duration ${files[0].duration}`);
  assert.equal(problems.length, 1);
  assert.match(problems[0].reason, /^damaged: the header says \d{4}:\d\d:\d\d, audio decodes only to 0:0(0:59|1:00)\.\d$/);
  assert.ok([...cache.values()][0].duration < 62, 'the probe cache keeps the checked duration, so the next scan does not believe the header');
  const again = await scanMedia(dir, { cache });
  assert.equal(again.files[0].duration, files[0].duration);
  assert.equal(again.problems[0].reason, problems[0].reason);
});

test('a truncated MP3 whose header still claims its full length is used only as far as it decodes, so its clips play', async () => {
  const dir = tempDir();
  const { bytes } = sixtySecondMp3(dir);
  const path = join(dir, 'cut.mp3');
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
  assert.ok(Math.abs(execProbeDuration(path) - 60) < 1, 'ffprobe alone takes the header at its word');
  const { files, problems } = await scanMedia(dir);
  assert.ok(Math.abs(files[0].duration - 30) < 2, `duration ${files[0].duration}`);
  assert.match(problems[0]?.reason ?? '', /^damaged: the header says 0:01:00/);
  const lastClip = await decodeClip(path, Math.floor(files[0].duration) - 1, 1, { sampleRate: 8000 });
  assert.equal(lastClip.length, 8000, 'the last clip of the part used decodes whole');
});

test('a text file named .mp3 is listed as not an audio file, in words a user understands', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'notes.mp3'), 'these are my notes about the tape\n'.repeat(20));
  const { files, problems } = await scanMedia(dir);
  assert.equal(files.length, 0);
  assert.deepEqual(problems, [{ path: 'notes.mp3', reason: 'not an audio file' }]);
});

function execProbeDuration(path: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path], { encoding: 'utf8' }));
}
