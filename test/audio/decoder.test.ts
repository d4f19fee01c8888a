import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeClipAndSpectrogram } from '../../src/audio/clip-loader.js';
import { startDecoder } from '../../src/audio/decoder.js';
import { MediaError } from '../../src/audio/ffmpeg.js';
import { demoCollection } from '../helpers/fixtures.js';
import { childrenOf } from '../helpers/process-tree.js';
import { waitUntil, within } from '../helpers/wait.js';

test('a clip and its spectrogram made in the decoder process are the same as made in place, and errors come back as media errors', async (t) => {
  const { dir } = demoCollection({ files: 1, seconds: 6 });
  const decoder = startDecoder();
  t.after(() => decoder.close());
  const abs = join(dir, 'demo-01.wav');
  const [there, here] = await Promise.all([
    decoder.decode(abs, 2, 1.5, { sampleRate: 22050 }),
    decodeClipAndSpectrogram(abs, 2, 1.5, { sampleRate: 22050 }),
  ]);
  assert.equal(there.samples.length, Math.round(1.5 * 22050));
  assert.deepEqual(there, here);
  assert.ok(there.spectrogram.levels.some((v) => v > 0.5), 'the demo audio shows in its spectrogram');
  await assert.rejects(decoder.decode(join(dir, 'missing.wav'), 0, 1, { sampleRate: 22050 }), MediaError);
});

test('when the decoder process is killed, clips are decoded in the labeler again, the one asked for then too', async (t) => {
  const { dir } = demoCollection({ files: 1, seconds: 6 });
  const abs = join(dir, 'demo-01.wav');
  const decoder = startDecoder();
  t.after(() => decoder.close());
  await decoder.decode(abs, 0, 1, { sampleRate: 22050 });
  const [pid] = childrenOf(process.pid).filter((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('decoder-process'));
  assert.ok(pid, 'the decoder runs in a process of its own');
  process.kill(pid, 'SIGKILL');
  const asked = decoder.decode(abs, 2, 1.5, { sampleRate: 22050 }); // most likely asked of the dead process
  const here = await decodeClipAndSpectrogram(abs, 2, 1.5, { sampleRate: 22050 });
  assert.deepEqual(await within(asked, 'the clip asked for as the decoder died'), here);
  assert.deepEqual(await within(decoder.decode(abs, 2, 1.5, { sampleRate: 22050 }), 'a clip asked for after'), here);
});

test('the decoder process ends when the labeler that started it is killed', async (t) => {
  const script = `import { startDecoder } from ${JSON.stringify(new URL('../../src/audio/decoder.ts', import.meta.url).href)};
startDecoder(); setInterval(() => {}, 1000); console.log('started');`;
  const labeler = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => labeler.kill('SIGKILL'));
  await within(once(labeler.stdout, 'data'), 'the labeler to start its decoder', 30_000);
  const decoder = await waitUntil(() => childrenOf(labeler.pid!)[0], 'the decoder process', { timeoutMs: 30_000 });
  labeler.kill('SIGKILL');
  await waitUntil(() => !existsSync(`/proc/${decoder}`) || readFileSync(`/proc/${decoder}/stat`, 'utf8').includes(') Z '), `decoder ${decoder} to exit`, { timeoutMs: 30_000 });
});
