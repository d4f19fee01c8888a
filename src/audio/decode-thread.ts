import { siblingScript, startWorker } from '../threads/start-worker.js';
import { decodeClipAndSpectrogram, type DecodedClip } from './clip-loader.js';
import type { DecodeOptions } from './decode.js';
import type { DecodeReply } from './decode-thread-worker.js';
import { MediaError } from './ffmpeg.js';

export interface DecodeThread {
  decode(abs: string, start: number, duration: number, options: DecodeOptions): Promise<DecodedClip>;
  close(): Promise<void>;
}

/**
 * Clips decoded, with their spectrogram, on a thread of its own: starting ffmpeg blocks the calling thread for
 * several milliseconds in a large process, and the spectrogram's FFTs run unoptimised for the first clips; the
 * labeling screen must pay neither between a key and its answer. If the thread dies, clips are decoded here again.
 */
export function startDecodeThread(): DecodeThread {
  const worker = startWorker(siblingScript('decode-thread-worker', import.meta.url));
  worker.unref();
  const waiting = new Map<number, { resolve: (clip: DecodedClip) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failed = false;
  const failAll = (err: Error) => {
    failed = true;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (reply: DecodeReply) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) w?.reject(new MediaError(reply.error));
    else w?.resolve(reply.clip);
  });
  worker.on('error', (err) => failAll(new MediaError(`the decoder stopped: ${err.message}`)));
  worker.on('exit', () => failAll(new MediaError('the decoder stopped')));
  return {
    decode(abs, start, duration, options) {
      if (failed) return decodeClipAndSpectrogram(abs, start, duration, options); // slower, but labeling goes on
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, abs, start, duration, options });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
