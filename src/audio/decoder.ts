import { siblingScript } from '../threads/start-worker.js';
import { startProcess } from '../threads/start-process.js';
import { workerRequests } from '../threads/request-reply.js';
import { decodeClipAndSpectrogram, type DecodedClip } from './clip-loader.js';
import type { DecodeOptions } from './decode.js';
import type { DecodeReply, DecodeRequest } from './decoder-process.js';
import { MediaError } from './ffmpeg.js';

export interface Decoder {
  decode(abs: string, start: number, duration: number, options: DecodeOptions): Promise<DecodedClip>;
  close(): Promise<void>;
}

/**
 * Clips decoded, with their spectrogram, in a small process of its own. Starting ffmpeg forks the process that
 * starts it, and while a large process forks (25-50 ms at 1,000 hours) glibc holds its allocator's locks: the
 * labeling screen's thread waited on them for up to 76 ms after a key, several times a minute, when the decoding
 * was a thread of the labeler. The spectrogram's FFTs stay off the screen's thread too. If the process dies, clips
 * are decoded here again.
 */
export function startDecoder(): Decoder {
  const child = startProcess(siblingScript('decoder-process', import.meta.url), ['--expose-gc']);
  // the process and its channel keep the labeler alive only while a clip is asked for: then also the process, so
  // that its death is heard and the request answered (decoded here) even when its channel is already gone
  let asked = 0;
  const hold = (by: number) => {
    asked += by;
    if (asked > 0) {
      child.ref();
      child.channel?.ref();
    } else {
      child.unref();
      child.channel?.unref();
    }
  };
  hold(0);
  const requests = workerRequests<Omit<DecodeRequest, 'id'>, DecodeReply>({ postMessage: (message) => child.send(message as object), on: (event, listener) => child.on(event, listener) });
  return {
    async decode(abs, start, duration, options) {
      const here = () => decodeClipAndSpectrogram(abs, start, duration, options); // slower, but labeling goes on
      if (requests.stopped) return here();
      hold(1);
      // asking fails only when the process has died: this clip too is decoded here
      const reply = await requests.ask({ abs, start, duration, options }).catch(() => undefined).finally(() => hold(-1));
      if (!reply) return here();
      if ('error' in reply) throw new MediaError(reply.error);
      return reply.clip;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.ref();
      child.kill();
      await exited;
    },
  };
}
