/**
 * Stand-ins for a sound card, made from ALSA's userspace plugins, so the real speaker module and aplay can be
 * tested on machines without one. ALSA_CONFIG_PATH replaces the system configuration entirely; the few lines
 * written here are all ALSA needs to open "default".
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, readSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Player, PlayerStatus } from '../../src/audio/player/index.js';

export interface AlsaSink {
  /** environment to hand to the player, so that its processes find this device */
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

export interface AlsaFileSink extends AlsaSink {
  /** the raw file the device writes */
  file: string;
  /**
   * Resolves with what the device wrote once `accept` likes it; throws after `timeoutMs`. The file plugin holds
   * back one device buffer (half a second here) until the device is closed, and each opening truncates the file.
   */
  waitFor(accept: (written: Buffer) => boolean, timeoutMs?: number): Promise<Buffer>;
  /** Deletes what was written; the next opening of the device starts a new file. */
  clear(): Promise<void>;
}

/** A device that plays instantly into a raw file of s16le samples at whatever rate the player opened it. */
export async function createAlsaFileSink(): Promise<AlsaFileSink> {
  const dir = await mkdtemp(join(tmpdir(), 'hark-alsa-'));
  const file = join(dir, 'out.raw');
  const env = await writeConfig(dir, file);
  const read = () => {
    try {
      return readFileSync(file);
    } catch {
      return Buffer.alloc(0);
    }
  };
  return {
    env,
    file,
    clear: () => rm(file, { force: true }),
    async waitFor(accept, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const written = read();
        if (accept(written)) return written;
        if (Date.now() > deadline) throw new Error(`device output not as expected after ${timeoutMs} ms (${written.length} bytes)`);
        await sleep(5);
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface AlsaPacedSink extends AlsaSink {
  /** the bytes the device has taken so far */
  consumed(): Buffer;
  waitForConsumed(bytes: number, timeoutMs?: number): Promise<void>;
  /**
   * Takes everything the player still sends until it has been quiet for `quietMs`, which must outlast the
   * player's wait for a clip's tail (the file plugin hands over its last half second only when closed).
   */
  drain(quietMs?: number, timeoutMs?: number): Promise<Buffer>;
}

/**
 * A device that takes bytes no faster than `bytesPerSecond`, like a sound card: the file plugin writes into a
 * FIFO that this process reads on a clock. The FIFO is held open read-write so that the player never blocks on
 * opening it and never sees it closed.
 */
export async function createAlsaPacedSink(bytesPerSecond: number): Promise<AlsaPacedSink> {
  const dir = await mkdtemp(join(tmpdir(), 'hark-alsa-'));
  const fifo = join(dir, 'out.fifo');
  execFileSync('mkfifo', [fifo]);
  const env = await writeConfig(dir, fifo);
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  const taken: Buffer[] = [];
  const TICK_MS = 10;
  let budget = Math.ceil((bytesPerSecond * TICK_MS) / 1000);
  let lastArrival = Date.now();

  const take = (limit: number) => {
    const buffer = Buffer.alloc(Math.min(limit, 65536));
    let total = 0;
    while (total < limit) {
      let n = 0;
      try {
        n = readSync(fd, buffer, 0, Math.min(buffer.length, limit - total), null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw err;
      }
      if (n === 0) break;
      taken.push(Buffer.from(buffer.subarray(0, n)));
      total += n;
      lastArrival = Date.now();
    }
  };
  const clock = setInterval(() => take(budget), TICK_MS);
  const consumed = () => Buffer.concat(taken);

  return {
    env,
    consumed,
    async waitForConsumed(bytes, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (consumed().length < bytes) {
        if (Date.now() > deadline) throw new Error(`device took only ${consumed().length} of ${bytes} bytes`);
        await sleep(TICK_MS);
      }
    },
    async drain(quietMs = 700, timeoutMs = 10_000) {
      budget = Number.POSITIVE_INFINITY;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() - lastArrival < quietMs) {
        if (Date.now() > deadline) throw new Error(`the player was still sending after ${timeoutMs} ms (waiting for ${quietMs} ms of quiet)`);
        await sleep(TICK_MS);
      }
      return consumed();
    },
    async remove() {
      clearInterval(clock);
      closeSync(fd);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An ALSA configuration with no "default" device at all, as on a machine without a sound card. */
export async function createAlsaNoDevice(): Promise<AlsaSink> {
  const dir = await mkdtemp(join(tmpdir(), 'hark-alsa-'));
  const config = join(dir, 'asound.conf');
  await writeFile(config, '# no devices\n');
  return {
    env: { ...process.env, ALSA_CONFIG_PATH: config, PULSE_SERVER: 'unix:/nonexistent' },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function writeConfig(dir: string, output: string): Promise<NodeJS.ProcessEnv> {
  const config = join(dir, 'asound.conf');
  await writeFile(config, `pcm.!default { type file slave.pcm { type null } file "${output}" format "raw" }\n`);
  return { ...process.env, ALSA_CONFIG_PATH: config };
}

/** A sine tone as mono s16 samples. */
export function tone(seconds: number, sampleRate: number, hz = 440, amplitude = 12000): Int16Array {
  const samples = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return samples;
}

/** The bytes a device receives for `pcm` (s16le). */
export function pcmBytes(pcm: Int16Array): Buffer {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** The device received the clip followed by nothing but silence (a device pads its last period). */
export function isClipThenSilence(written: Buffer, clip: Buffer): boolean {
  return written.length >= clip.length && written.subarray(0, clip.length).equals(clip) && written.subarray(clip.length).every((b) => b === 0);
}

/** Resolves with the first status of `player` that `accept` likes (the current one included); fails after `timeoutMs`. */
export function statusMatching(player: Player, accept: (s: PlayerStatus) => boolean, timeoutMs = 4000): Promise<PlayerStatus> {
  return new Promise((resolve, reject) => {
    let last: PlayerStatus | undefined;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no such status; the last was ${JSON.stringify(last)}`));
    }, timeoutMs);
    const unsubscribe = player.onStatus((s) => {
      last = s;
      if (!accept(s)) return;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe()); // the current status arrives before onStatus has returned
      resolve(s);
    });
  });
}

/**
 * Milliseconds from play() until the device file has bytes, three times. The file plugin writes only what is more
 * than one device buffer (0.5 s) ahead, so bytes in the file mean the clip's start has reached the device: an upper bound.
 */
export async function playToDeviceLatencies(player: Player, sink: AlsaFileSink, clip: Int16Array, rate: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < 3; i++) {
    player.stop();
    await sleep(100);
    await sink.clear();
    const started = performance.now();
    player.play(clip, rate);
    await sink.waitFor((written) => written.length > 0);
    latencies.push(performance.now() - started);
  }
  return latencies;
}
