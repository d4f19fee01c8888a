import { streamTool } from './ffmpeg.js';

/** ffmpeg silent this long is taken as hung (a stalled network mount) and stopped. */
const STALL_MS = 60_000;

/**
 * Decodes a whole file to mono float samples at the given rate and hands them over in chunks as ffmpeg produces
 * them, so a multi-hour recording never sits in memory at once.
 */
export function decodeStream(abs: string, sampleRate: number, onSamples: (chunk: Float32Array) => void): Promise<void> {
  const args = ['-v', 'error', '-nostdin', '-i', abs, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'];
  let carry: Buffer = Buffer.alloc(0);
  return streamTool(
    'ffmpeg',
    args,
    (data) => {
      const bytes = carry.length ? Buffer.concat([carry, data]) : data;
      const whole = bytes.length - (bytes.length % 4);
      carry = bytes.subarray(whole);
      const chunk = new Float32Array(whole / 4);
      new Uint8Array(chunk.buffer).set(bytes.subarray(0, whole));
      onSamples(chunk);
    },
    { stallMs: STALL_MS },
  );
}
