import { parentPort } from 'node:worker_threads';
import { decodeClip, type DecodeOptions } from './decode.js';

export interface DecodeRequest {
  id: number;
  abs: string;
  start: number;
  duration: number;
  options: DecodeOptions;
}

export type DecodeReply = { id: number; samples: Float32Array } | { id: number; error: string };

parentPort!.on('message', async (req: DecodeRequest) => {
  try {
    const samples = await decodeClip(req.abs, req.start, req.duration, req.options);
    // decodeClip's samples are a view on a buffer of their own: hand it over instead of copying it
    parentPort!.postMessage({ id: req.id, samples } satisfies DecodeReply, [samples.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message } satisfies DecodeReply);
  }
});
