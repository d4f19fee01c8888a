import { decodeClipAndSpectrogram, type DecodedClip } from './clip-loader.js';
import type { DecodeOptions } from './decode.js';

export interface DecodeRequest {
  id: number;
  abs: string;
  start: number;
  duration: number;
  options: DecodeOptions;
}

export type DecodeReply = { id: number; clip: DecodedClip } | { id: number; error: string };

/**
 * Started with --expose-gc (decoder.ts): a clip's buffers are garbage once sent. Collected at once, the process
 * stays near 70 MB; at V8's own pace it grew to 140 MB over a hundred clips.
 */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

process.on('message', async (req: DecodeRequest) => {
  try {
    const clip = await decodeClipAndSpectrogram(req.abs, req.start, req.duration, req.options);
    process.send!({ id: req.id, clip } satisfies DecodeReply);
    collectGarbage?.();
  } catch (err) {
    process.send!({ id: req.id, error: (err as Error).message } satisfies DecodeReply);
  }
});
