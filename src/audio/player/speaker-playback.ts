import Speaker from 'speaker';
import type { Playing } from './device-handoff.js';

/** Seconds of audio per write: the longest a stop waits for a write already under way. */
const CHUNK_SECONDS = 0.05;
/** How long after the clip's expected end the device is closed, so the tail still in its buffer plays out. */
const TAIL_MS = 250;

export interface PlaybackEvents {
  onStarted(): void;
  onFailed(message: string): void;
}

/**
 * Plays one clip on a fresh Speaker, one small write at a time. The device is only closed between writes:
 * closing it while the native write runs on another thread is unsafe.
 */
export function playClip(pcm: Int16Array, sampleRate: number, events: PlaybackEvents): Playing {
  const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const chunkBytes = 2 * Math.max(64, Math.round(sampleRate * CHUNK_SECONDS));
  const speaker = new Speaker({ channels: 1, sampleRate, bitDepth: 16 });
  let offset = 0;
  let writing = false;
  let stopping = false;
  let closed = false;
  let startedAt: number | undefined;
  let tailTimer: NodeJS.Timeout | undefined;
  let resolveClosed: () => void = () => {};
  const whenClosed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(tailTimer);
    // flush=true drops what is still buffered instead of blocking this thread until it has played
    speaker.close(true);
    resolveClosed();
  };

  const fail = (err: Error) => {
    writing = false;
    if (!closed) events.onFailed(err.message);
    close();
  };

  const writeNext = () => {
    if (stopping) return close();
    if (offset >= bytes.length) {
      const endsAt = (startedAt ?? Date.now()) + (1000 * pcm.length) / sampleRate;
      tailTimer = setTimeout(close, Math.max(0, endsAt - Date.now()) + TAIL_MS);
      return;
    }
    const chunk = bytes.subarray(offset, offset + chunkBytes);
    offset += chunk.length;
    writing = true;
    speaker.write(chunk, (err) => {
      if (err) return fail(err);
      writing = false;
      if (startedAt === undefined) {
        startedAt = Date.now();
        events.onStarted();
      }
      writeNext();
    });
  };

  // A failed native write rejects without calling the write callback; it only emits 'error'.
  speaker.on('error', fail);
  writeNext();

  return {
    stop() {
      stopping = true;
      if (!writing) close();
      return whenClosed;
    },
  };
}
