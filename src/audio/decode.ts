import { streamTool } from './ffmpeg.js';

/** Seconds decoded before a seek point and thrown away: ffmpeg's first ~20 ms after a seek are decoder warm-up. */
const PRE_ROLL = 0.1;

export interface DecodeOptions {
  sampleRate: number;
  /** playback speed, 0.5..2, pitch kept (ffmpeg atempo) */
  tempo?: number;
}

/** Decodes [start, start+duration) of a file to mono float samples at the given rate. */
export async function decodeClip(
  abs: string,
  start: number,
  duration: number,
  { sampleRate, tempo = 1 }: DecodeOptions,
): Promise<Float32Array> {
  const preRoll = Math.min(PRE_ROLL, start);
  const args = ['-v', 'error', '-nostdin', '-ss', (start - preRoll).toFixed(3), '-t', (duration + preRoll).toFixed(3), '-i', abs];
  const samples = await decodeWith(args, { sampleRate, tempo, expectedSeconds: duration + preRoll, timeoutMs: 60_000 });
  const skip = Math.round((preRoll * sampleRate) / tempo);
  const keep = Math.round((duration * sampleRate) / tempo);
  return samples.subarray(skip, skip + keep);
}

/** Decodes a whole file to mono float samples at the given rate. */
export function decodeFile(abs: string, sampleRate: number): Promise<Float32Array> {
  return decodeWith(['-v', 'error', '-nostdin', '-i', abs], { sampleRate, tempo: 1, expectedSeconds: 60, timeoutMs: 30 * 60_000 });
}

interface DecodeWith {
  sampleRate: number;
  tempo: number;
  /** how much audio to make room for at once; more is still taken */
  expectedSeconds: number;
  timeoutMs: number;
}

async function decodeWith(input: string[], { sampleRate, tempo, expectedSeconds, timeoutMs }: DecodeWith): Promise<Float32Array> {
  const filter = tempo === 1 ? [] : ['-af', `atempo=${tempo}`];
  // ffmpeg's output goes straight into one buffer of the expected size (grown if need be), not chunks then a copy
  let bytes = new Uint8Array(Math.ceil((expectedSeconds * sampleRate) / tempo + sampleRate / 10) * 4);
  let filled = 0;
  await streamTool(
    'ffmpeg',
    [...input, '-vn', ...filter, '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'],
    (chunk) => {
      if (filled + chunk.length > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, filled + chunk.length));
        grown.set(bytes.subarray(0, filled));
        bytes = grown;
      }
      bytes.set(chunk, filled);
      filled += chunk.length;
    },
    { timeoutMs },
  );
  return new Float32Array(bytes.buffer, 0, filled >> 2);
}

/** Float samples in [-1, 1] to signed 16-bit, clipping. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    out[i] = Math.round(s * 32767);
  }
  return out;
}
