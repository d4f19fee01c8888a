import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeClipAndSpectrogram } from '../../src/audio/clip-loader.js';
import { startDecodeThread } from '../../src/audio/decode-thread.js';
import { MediaError } from '../../src/audio/ffmpeg.js';
import { demoCollection } from '../helpers/fixtures.js';

test('a clip and its spectrogram made on the decode thread are the same as made in place, and errors come back as media errors', async (t) => {
  const { dir } = demoCollection({ files: 1, seconds: 6 });
  const thread = startDecodeThread();
  t.after(() => thread.close());
  const abs = join(dir, 'demo-01.wav');
  const [there, here] = await Promise.all([
    thread.decode(abs, 2, 1.5, { sampleRate: 22050 }),
    decodeClipAndSpectrogram(abs, 2, 1.5, { sampleRate: 22050 }),
  ]);
  assert.equal(there.samples.length, Math.round(1.5 * 22050));
  assert.deepEqual(there, here);
  assert.ok(there.spectrogram.levels.some((v) => v > 0.5), 'the demo audio shows in its spectrogram');
  await assert.rejects(thread.decode(join(dir, 'missing.wav'), 0, 1, { sampleRate: 22050 }), MediaError);
});
