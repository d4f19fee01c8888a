import { siblingScript, startWorker } from '../start-worker.js';
import { decodeClip, type DecodeOptions } from './decode.js';
import type { DecodeReply } from './decode-thread-worker.js';
import { MediaError } from './ffmpeg.js';

export interface DecodeThread {
  decodeClip(abs: string, start: number, duration: number, options: DecodeOptions): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * decodeClip on a thread of its own: starting ffmpeg blocks the calling thread for several milliseconds in a large
 * process, which the labeling screen must not pay between a key and its answer. If the thread dies, clips are
 * decoded here again.
 */
export function startDecodeThread(): DecodeThread {
  const worker = startWorker(siblingScript('decode-thread-worker', import.meta.url));
  worker.unref();
  const waiting = new Map<number, { resolve: (s: Float32Array) => void; reject: (e: Error) => void }>();
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
    else w?.resolve(reply.samples);
  });
  worker.on('error', (err) => failAll(new MediaError(`the decoder stopped: ${err.message}`)));
  worker.on('exit', () => failAll(new MediaError('the decoder stopped')));
  return {
    decodeClip(abs, start, duration, options) {
      if (failed) return decodeClip(abs, start, duration, options); // slower, but labeling goes on
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
