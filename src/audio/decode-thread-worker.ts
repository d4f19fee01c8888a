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
    const owned = samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength;
    parentPort!.postMessage({ id: req.id, samples } satisfies DecodeReply, owned ? [samples.buffer as ArrayBuffer] : []);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message } satisfies DecodeReply);
  }
});
