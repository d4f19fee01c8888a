import { siblingScript, startWorker } from '../threads/start-worker.js';
import { workerRequests } from '../threads/request-reply.js';
import { decodeClipAndSpectrogram, type DecodedClip } from './clip-loader.js';
import type { DecodeOptions } from './decode.js';
import type { DecodeReply, DecodeRequest } from './decode-thread-worker.js';
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
  const requests = workerRequests<Omit<DecodeRequest, 'id'>, DecodeReply>(worker, {
    stopped: (why) => new MediaError(`the decoder stopped${why ? `: ${why.message}` : ''}`),
  });
  return {
    async decode(abs, start, duration, options) {
      if (requests.stopped) return decodeClipAndSpectrogram(abs, start, duration, options); // slower, but labeling goes on
      const reply = await requests.ask({ abs, start, duration, options });
      if ('error' in reply) throw new MediaError(reply.error);
      return reply.clip;
    },
    async close() {
      await worker.terminate();
    },
  };
}
