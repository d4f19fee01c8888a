import { parentPort } from 'node:worker_threads';
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

parentPort!.on('message', async (req: DecodeRequest) => {
  try {
    const clip = await decodeClipAndSpectrogram(req.abs, req.start, req.duration, req.options);
    // decodeClip's samples are a view on a buffer of their own: hand it over instead of copying it
    parentPort!.postMessage({ id: req.id, clip } satisfies DecodeReply, [clip.samples.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message } satisfies DecodeReply);
  }
});
