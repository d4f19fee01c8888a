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

process.on('message', async (req: DecodeRequest) => {
  try {
    const clip = await decodeClipAndSpectrogram(req.abs, req.start, req.duration, req.options);
    process.send!({ id: req.id, clip } satisfies DecodeReply);
  } catch (err) {
    process.send!({ id: req.id, error: (err as Error).message } satisfies DecodeReply);
  }
});
