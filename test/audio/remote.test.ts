import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPlayer, type Player } from '../../src/audio/player/index.js';
import { FrameReader } from '../../src/audio/remote/frame-reader.js';
import { FrameType, MAX_PAYLOAD, ProtocolError, decodeListenerMessage, encodeFrame, encodeHello, encodePlay } from '../../src/audio/remote/protocol.js';
import { resampleLinear } from '../../src/audio/remote/resample.js';
import { parseTcpMode } from '../../src/audio/remote/tcp-address.js';
import { formatListenStatus, runListen, type ListenHandle } from '../../src/commands/listen.js';
import { createAlsaFileSink, isClipThenSilence, pcmBytes, statusMatching, tone, type AlsaFileSink, playToDeviceLatencies } from '../helpers/alsa.js';

const RATE = 16000;

interface Listening {
  sink: AlsaFileSink;
  listener: ListenHandle;
  /** every status line printed so far */
  lines(): string[];
  url: string;
}

/** A `hark listen` on a free loopback port, playing through the speaker into an ALSA file sink. */
async function listen(t: TestContext, token?: string): Promise<Listening> {
  const sink = await createAlsaFileSink();
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk) => (printed += chunk));
  const listener = await runListen({ port: 0, token, player: 'speaker', out, env: { ...sink.env, HARK_TOKEN: '' } });
  t.after(async () => {
    await listener.close();
    await sink.remove();
  });
  return { sink, listener, lines: () => printed.trim().split('\n'), url: `tcp://127.0.0.1:${listener.address.port}` };
}

async function tcpPlayer(t: TestContext, url: string, token = ''): Promise<Player> {
  const player = await createPlayer(url, { env: { HARK_TOKEN: token } });
  t.after(() => player.close());
  return player;
}

/** Waits until `check` holds; fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await sleep(5)) {
    if (Date.now() > deadline) throw new Error('timed out');
  }
}

test('clips sent to hark listen play on its sound device, sample for sample', async (t) => {
  const { sink, lines, url } = await listen(t, 's3cret');
  const player = await tcpPlayer(t, url, 's3cret');
  assert.equal(player.mode, url);
  await statusMatching(player, (s) => s.ok);

  const first = tone(0.3, RATE, 440);
  player.play(first, RATE);
  await sink.waitFor((written) => isClipThenSilence(written, pcmBytes(first)));
  const second = tone(0.2, 22050, 660);
  player.play(second, 22050);
  await sink.waitFor((written) => isClipThenSilence(written, pcmBytes(second)));

  assert.match(lines().at(-1) ?? '', /connected from 127\.0\.0\.1:\d+ \| 2 clips played$/);
});

test('a clip sent to hark listen reaches its sound device within 50 ms', async (t) => {
  const { sink, url } = await listen(t);
  const player = await tcpPlayer(t, url);
  await statusMatching(player, (s) => s.ok);
  const clip = tone(1, RATE);
  const latencies = await playToDeviceLatencies(player, sink, clip, RATE);
  t.diagnostic(`tcp play() to listener's device, ms: ${latencies.map((ms) => ms.toFixed(1)).join(', ')}`);
  assert.ok(Math.min(...latencies) < 50, `latencies ${latencies.join(', ')}`);
});

test('a player with the wrong token is refused, told why, and plays nothing', async (t) => {
  const { lines, url } = await listen(t, 's3cret');
  const player = await tcpPlayer(t, url, 'guess');
  player.play(tone(0.2, RATE), RATE);
  const refused = await statusMatching(player, (s) => /refused: wrong token/.test(s.message ?? ''));
  assert.equal(refused.ok, false);
  await until(() => /last error: wrong token/.test(lines().at(-1) ?? ''));
  assert.match(lines().at(-1) ?? '', /waiting for a connection \| 0 clips played/);
});

test('a clip too long for one frame is reported, not sent', async (t) => {
  const { url } = await listen(t);
  const player = await tcpPlayer(t, url);
  player.play(new Int16Array(MAX_PAYLOAD / 2), RATE);
  const status = await statusMatching(player, (s) => /too long/.test(s.message ?? ''));
  assert.equal(status.ok, false);
});

/** A loopback TCP server that hangs up on everyone when the test ends; resolves with its port. */
async function serve(t: TestContext, accept: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    accept(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as { port: number }).port;
}

/** A loopback TCP relay to `port` whose connections can be cut, like a network outage. */
async function relay(t: TestContext, port: number): Promise<{ url: string; cut(): void }> {
  const pairs = new Set<[Socket, Socket]>();
  const relayPort = await serve(t, (downstream) => {
    const upstream = connect(port, '127.0.0.1');
    const pair: [Socket, Socket] = [downstream, upstream];
    pairs.add(pair);
    downstream.pipe(upstream).pipe(downstream);
    for (const socket of pair) socket.on('error', () => {}).on('close', () => pair.forEach((s) => s.destroy()));
  });
  return {
    url: `tcp://127.0.0.1:${relayPort}`,
    cut() {
      for (const pair of pairs) pair.forEach((s) => s.resetAndDestroy());
      pairs.clear();
    },
  };
}

test('after the connection drops mid-clip, the player says so and the next clip plays', async (t) => {
  const { sink, listener, lines } = await listen(t);
  const network = await relay(t, listener.address.port);
  const player = await tcpPlayer(t, network.url);
  await statusMatching(player, (s) => s.ok);

  player.play(tone(3, RATE), RATE);
  await until(() => /1 clip played/.test(lines().at(-1) ?? ''));
  const lost = statusMatching(player, (s) => !s.ok);
  network.cut();
  assert.match((await lost).message ?? '', /^lost 127\.0\.0\.1:\d+ \(.+\); reconnecting in 0\.1 s$/);

  const next = tone(0.2, RATE, 1000);
  player.play(next, RATE);
  await sink.waitFor((written) => isClipThenSilence(written, pcmBytes(next)));
  assert.equal((await statusMatching(player, () => true)).ok, true);
});

/** Sends raw bytes to the listener; resolves with what it answered once it hung up. */
function sendRaw(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const answer: Buffer[] = [];
    socket.on('data', (chunk) => answer.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Buffer.concat(answer)));
    setTimeout(() => reject(new Error('listener kept a bad connection open')), 3000).unref();
  });
}

test('garbage, oversized and out-of-order frames are refused without harming the listener', async (t) => {
  const { sink, listener, lines, url } = await listen(t);
  const { port } = listener.address;
  const oversized = Buffer.alloc(5);
  oversized.writeUInt8(FrameType.play, 0);
  oversized.writeUInt32BE(MAX_PAYLOAD + 1, 1);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /frame of 1163141167 bytes is over/],
    ['an unknown frame type', Buffer.from([0x47, 0, 0, 0, 0]), /unknown frame type 0x47/],
    ['an oversized frame', Buffer.concat([encodeHello(''), oversized]), /over 10485760/],
    ['a play before hello', encodePlay(tone(0.1, RATE), RATE), /expected hello first/],
    ['a play of odd length', Buffer.concat([encodeHello(''), encodeFrame(FrameType.play, Buffer.alloc(7))]), /odd length/],
    ['a zero sample rate', Buffer.concat([encodeHello(''), encodePlay(tone(0.1, RATE), 0)]), /sample rate 0/],
  ];
  for (const [what, bytes, reason] of cases) {
    const answer = await sendRaw(port, bytes);
    const refusal = new FrameReader().push(answer).find((f) => f.type === FrameType.refused);
    assert.ok(refusal, `${what} is answered with a refusal`);
    assert.match(refusal.payload.toString(), reason, what);
  }
  assert.match(lines().at(-1) ?? '', /0 clips played \| last error: sample rate 0/);

  const player = await tcpPlayer(t, url);
  const clip = tone(0.2, RATE);
  player.play(clip, RATE);
  await sink.waitFor((written) => isClipThenSilence(written, pcmBytes(clip)));
});

test('tcp-raw streams bare 16 kHz PCM in real time, which aplay on the other end plays as is', async (t) => {
  const sink = await createAlsaFileSink();
  t.after(() => sink.remove());
  const arrivals: number[] = [];
  // the `nc -l 7777 | aplay -f S16_LE -r 16000 -c 1` of the docs, without nc
  const port = await serve(t, (socket) => {
    const aplay = spawn('aplay', ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', '16000', '-c', '1'], { env: sink.env, stdio: ['pipe', 'ignore', 'ignore'] });
    socket.on('data', () => arrivals.push(Date.now()));
    socket.pipe(aplay.stdin);
  });
  const player = await createPlayer(`tcp-raw://127.0.0.1:${port}`);
  await statusMatching(player, (s) => s.ok);

  const clip = tone(0.5, 8000, 300);
  player.play(clip, 8000);
  await sleep(600);
  await player.close(); // ends the stream, so aplay plays out and closes its device
  const expected = pcmBytes(resampleLinear(clip, 8000, 16000));
  await sink.waitFor((written) => isClipThenSilence(written, expected));
  assert.ok(arrivals.at(-1)! - arrivals[0] >= 300, 'half a second of audio took at least its length less the lead to send');
});

test('tcp-raw stops sending when the clip is stopped', async (t) => {
  let received = 0;
  const port = await serve(t, (socket) => socket.on('data', (chunk) => (received += chunk.length)));
  const player = await createPlayer(`tcp-raw://127.0.0.1:${port}`);
  t.after(() => player.close());
  await statusMatching(player, (s) => s.ok);
  player.play(tone(2, RATE), RATE);
  await sleep(200);
  player.stop();
  await sleep(300);
  const clipBytes = 2 * 2 * RATE;
  assert.ok(received > 0 && received < clipBytes / 4, `sent ${received} of ${clipBytes} bytes`);
});

test('frames split anywhere are read back whole, and oversized lengths are refused at once', () => {
  const clip = tone(0.05, RATE);
  const stream = Buffer.concat([encodeHello('tok'), encodePlay(clip, RATE), encodeFrame(FrameType.stop)]);
  for (const size of [1, 2, 5, 7, 1000]) {
    const reader = new FrameReader();
    const frames = [];
    for (let at = 0; at < stream.length; at += size) frames.push(...reader.push(stream.subarray(at, at + size)));
    const messages = frames.map(decodeListenerMessage);
    assert.deepEqual(messages, [{ type: 'hello', token: 'tok' }, { type: 'play', sampleRate: RATE, pcm: clip }, { type: 'stop' }]);
  }
  const header = Buffer.from([FrameType.play, 0xff, 0xff, 0xff, 0xff]);
  assert.throws(() => new FrameReader().push(header), ProtocolError);
});

test('linear resampling keeps the waveform and the duration', () => {
  assert.deepEqual(Array.from(resampleLinear(Int16Array.from([0, 100, 200]), 8000, 16000)), [0, 50, 100, 150, 200, 200]);
  assert.deepEqual(Array.from(resampleLinear(Int16Array.from([0, 100, 200, 300]), 16000, 8000)), [0, 200]);
  const same = Int16Array.from([1, 2, 3]);
  assert.equal(resampleLinear(same, RATE, RATE), same);
});

test('tcp player modes are read from tcp:// and tcp-raw:// addresses', () => {
  assert.deepEqual(parseTcpMode('tcp://127.0.0.1:7777'), { raw: false, address: { host: '127.0.0.1', port: 7777 } });
  assert.deepEqual(parseTcpMode('tcp-raw://[::1]:9000'), { raw: true, address: { host: '::1', port: 9000 } });
  assert.equal(parseTcpMode('tcp://host'), undefined);
  assert.equal(parseTcpMode('tcp://host:70000'), undefined);
  assert.equal(parseTcpMode('aplay'), undefined);
});

test('the listener status line says where it listens, who is connected, what played and what went wrong', () => {
  const line = formatListenStatus({
    address: { host: '127.0.0.1', port: 7777 },
    output: { mode: 'none', ok: true, message: 'no audio output: visual only' },
    peers: ['127.0.0.1:5000'],
    played: 3,
    lastError: 'wrong token (127.0.0.1:5001)',
  });
  assert.equal(
    line,
    'listening on 127.0.0.1:7777 | output none (no audio output: visual only) | connected from 127.0.0.1:5000 | 3 clips played | last error: wrong token (127.0.0.1:5001)',
  );
});

test('on a terminal the listener rewrites its one status line in place', async () => {
  const out = Object.assign(new PassThrough(), { isTTY: true });
  let printed = '';
  out.on('data', (chunk) => (printed += chunk));
  const listener = await runListen({ port: 0, player: 'none', out });
  await listener.close();
  assert.match(printed, /^\r\x1b\[2Klistening on 127\.0\.0\.1:\d+ \| output none \(no audio output: visual only\) \| waiting for a connection \| 0 clips played\n$/);
});
