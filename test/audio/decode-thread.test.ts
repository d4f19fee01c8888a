import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeClip } from '../../src/audio/decode.js';
import { startDecodeThread } from '../../src/audio/decode-thread.js';
import { MediaError } from '../../src/audio/ffmpeg.js';
import { demoCollection } from '../helpers/fixtures.js';

test('a clip decoded on the decode thread is the same as one decoded in place, and errors come back as media errors', async (t) => {
  const { dir } = demoCollection({ files: 1, seconds: 6 });
  const thread = startDecodeThread();
  t.after(() => thread.close());
  const abs = join(dir, 'demo-01.wav');
  const [there, here] = await Promise.all([
    thread.decodeClip(abs, 2, 1.5, { sampleRate: 22050 }),
    decodeClip(abs, 2, 1.5, { sampleRate: 22050 }),
  ]);
  assert.equal(there.length, Math.round(1.5 * 22050));
  assert.deepEqual(there, here);
  await assert.rejects(thread.decodeClip(join(dir, 'missing.wav'), 0, 1, { sampleRate: 22050 }), MediaError);
});
