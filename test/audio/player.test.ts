import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPlayer, type Player } from '../../src/audio/player/index.js';
import {
  createAlsaFileSink,
  createAlsaNoDevice,
  createAlsaPacedSink,
  isClipThenSilence,
  pcmBytes,
  statusMatching,
  tone,
  type AlsaSink,
  playToDeviceLatencies,
} from '../helpers/alsa.js';

const RATE = 16000;
const BYTES_PER_SECOND = RATE * 2;

/** Closes the player or removes the sink when the test ends. */
function track<T extends AlsaSink | Player>(t: TestContext, thing: T): T {
  t.after(() => ('remove' in thing ? thing.remove() : thing.close()));
  return thing;
}

/** pids of this process's speaker children */
function speakerChildren(): number[] {
  const pids = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return pids.map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('speaker-child');
    } catch {
      return false;
    }
  });
}

for (const mode of ['speaker', 'aplay']) {
  test(`${mode}: a clip reaches the sound device sample for sample`, async (t) => {
    const sink = track(t, await createAlsaFileSink());
    const player = track(t, await createPlayer(mode, { env: sink.env }));
    assert.equal(player.mode, mode);
    const clip = tone(0.3, RATE);
    player.play(clip, RATE);
    await sink.waitFor((written) => isClipThenSilence(written, pcmBytes(clip)));
    assert.deepEqual(await statusMatching(player, () => true), { mode, ok: true });
  });

  test(`${mode}: stop silences a clip mid-way`, async (t) => {
    const sink = track(t, await createAlsaPacedSink(BYTES_PER_SECOND));
    const player = track(t, await createPlayer(mode, { env: sink.env }));
    const clip = tone(10, RATE);
    player.play(clip, RATE);
    await sink.waitForConsumed(0.3 * BYTES_PER_SECOND);
    player.stop();
    const heard = await sink.drain();
    // what was buffered on the way to the device (FIFO, ALSA ring) still arrives, but not the rest of the clip
    assert.ok(heard.length < pcmBytes(clip).length / 2, `device took ${heard.length} of ${pcmBytes(clip).length} bytes`);
  });

  test(`${mode}: a new clip cuts off the one playing`, async (t) => {
    const sink = track(t, await createAlsaPacedSink(BYTES_PER_SECOND));
    const player = track(t, await createPlayer(mode, { env: sink.env }));
    const first = tone(10, RATE, 440);
    const second = tone(0.2, RATE, 1000);
    player.play(first, RATE);
    await sink.waitForConsumed(0.3 * BYTES_PER_SECOND);
    player.play(second, RATE);
    const heard = await sink.drain();
    const at = heard.lastIndexOf(pcmBytes(second));
    assert.ok(at > 0, 'the second clip was played whole');
    assert.ok(at < pcmBytes(first).length / 2, `the first clip went on for ${at} bytes`);
    assert.ok(heard.subarray(at + pcmBytes(second).length).every((b) => b === 0), 'nothing after the second clip');
  });
}

test('speaker: a crashed player is reported and the next clip plays', async (t) => {
  const sink = track(t, await createAlsaFileSink());
  const player = track(t, await createPlayer('speaker', { env: sink.env }));
  const [pid] = speakerChildren();
  assert.ok(pid, 'a speaker child runs');
  const crashed = statusMatching(player, (s) => !s.ok);
  process.kill(pid, 'SIGABRT');
  assert.deepEqual(await crashed, { mode: 'speaker', ok: false, message: 'player crashed (signal SIGABRT); restarting' });

  const clip = tone(0.2, RATE);
  player.play(clip, RATE);
  await sink.waitFor((written) => isClipThenSilence(written, pcmBytes(clip)));
  await statusMatching(player, (s) => s.ok);
});

test('speaker: a hung player is replaced and the next clip plays', async (t) => {
  const sink = track(t, await createAlsaFileSink());
  const player = track(t, await createPlayer('speaker', { env: sink.env }));
  const [pid] = speakerChildren();
  process.kill(pid, 'SIGSTOP');
  const hung = statusMatching(player, (s) => !s.ok);
  player.play(tone(0.2, RATE), RATE);
  assert.equal((await hung).message, 'player not responding; restarting');
  for (let waited = 0; speakerChildren().includes(pid); waited += 10) {
    assert.ok(waited < 1000, 'the hung child is killed');
    await sleep(10);
  }

  const clip = tone(0.2, RATE, 880);
  player.play(clip, RATE);
  await sink.waitFor((written) => isClipThenSilence(written, pcmBytes(clip)));
});

test('speaker: a clip starts reaching the device within 50 ms', async (t) => {
  const sink = track(t, await createAlsaFileSink());
  const player = track(t, await createPlayer('speaker', { env: sink.env }));
  const clip = tone(1, RATE);
  const latencies = await playToDeviceLatencies(player, sink, clip, RATE);
  t.diagnostic(`play() to device, ms: ${latencies.map((ms) => ms.toFixed(1)).join(', ')}`);
  assert.ok(Math.min(...latencies) < 50, `latencies ${latencies.join(', ')}`);
});

test('auto picks the speaker when there is a sound device', async (t) => {
  const sink = track(t, await createAlsaFileSink());
  const player = track(t, await createPlayer('auto', { env: sink.env }));
  assert.equal(player.mode, 'speaker');
});

test('auto without any sound device falls back to visual only, and says so', async (t) => {
  const noDevice = track(t, await createAlsaNoDevice());
  const player = track(t, await createPlayer('auto', { env: noDevice.env }));
  assert.equal(player.mode, 'none');
  player.play(tone(0.1, RATE), RATE);
  player.stop();
  assert.deepEqual(await statusMatching(player, () => true), { mode: 'none', ok: true, message: 'no audio output: visual only' });
});

test('speaker without a sound device reports why, and play does not throw', async (t) => {
  const noDevice = track(t, await createAlsaNoDevice());
  const player = track(t, await createPlayer('speaker', { env: noDevice.env }));
  const status = await statusMatching(player, () => true);
  assert.equal(status.ok, false);
  assert.match(status.message ?? '', /^speaker unavailable \(signal SIGABRT\)/);
  player.play(tone(0.1, RATE), RATE);
  player.stop();
});

test('aplay without a sound device reports its error', async (t) => {
  const noDevice = track(t, await createAlsaNoDevice());
  const player = track(t, await createPlayer('aplay', { env: noDevice.env }));
  const failed = statusMatching(player, (s) => !s.ok);
  player.play(tone(0.1, RATE), RATE);
  assert.match((await failed).message ?? '', /^aplay failed: .*audio open error/);
});

test('an unknown player mode is refused with the modes there are', async () => {
  await assert.rejects(createPlayer('gramophone'), /unknown audio player "gramophone".*aplay/);
});
