import { decodeClip, type DecodeOptions } from './decode.js';
import { CLIP_SPECTROGRAM, spectrogram, type Spectrogram } from './spectrogram.js';

export interface DecodedClip {
  samples: Float32Array;
  /** of all the samples, at CLIP_SPECTROGRAM's size */
  spectrogram: Spectrogram;
}

/** A clip decoded with its context: samples [contextBefore | clip | contextAfter] at one rate. */
export interface ClipAudio extends DecodedClip {
  sampleRate: number;
  /** sample index where the clip itself starts and ends */
  clipFrom: number;
  clipTo: number;
}

/** A clip's samples and their spectrogram, computed together so a decoding thread spares the screen's thread both. */
export async function decodeClipAndSpectrogram(abs: string, start: number, duration: number, options: DecodeOptions): Promise<DecodedClip> {
  const samples = await decodeClip(abs, start, duration, options);
  return { samples, spectrogram: spectrogram(samples, options.sampleRate, CLIP_SPECTROGRAM.columns, CLIP_SPECTROGRAM.bands) };
}

export interface ClipRequest {
  abs: string;
  start: number;
  duration: number;
  /** length of the file, so context stops at its end */
  fileDuration: number;
  tempo: number;
}

export const PLAYBACK_RATE = 22050;

/**
 * Decodes clips with their context once each, keeping the most recent few so that replay, context play and a
 * prefetched next clip never wait for ffmpeg.
 */
export function createClipLoader(context: number, keep = 8, decode = decodeClipAndSpectrogram) {
  const cache = new Map<string, Promise<ClipAudio>>();
  const load = (req: ClipRequest): Promise<ClipAudio> => {
    const key = `${req.abs}|${req.start}|${req.duration}|${req.tempo}`;
    let hit = cache.get(key);
    if (hit) {
      cache.delete(key);
    } else {
      hit = decodeWithContext(req, context, decode);
      hit.catch(() => cache.delete(key));
    }
    cache.set(key, hit);
    while (cache.size > keep) cache.delete(cache.keys().next().value!);
    return hit;
  };
  return { load };
}

async function decodeWithContext(req: ClipRequest, context: number, decode: typeof decodeClipAndSpectrogram): Promise<ClipAudio> {
  const from = Math.max(0, req.start - context);
  const to = Math.min(req.fileDuration, req.start + req.duration + context);
  const { samples, spectrogram } = await decode(req.abs, from, to - from, { sampleRate: PLAYBACK_RATE, tempo: req.tempo });
  if (samples.length === 0) throw new Error('no audio decoded (file truncated or changed?)');
  const scale = PLAYBACK_RATE / req.tempo;
  const clipFrom = Math.min(samples.length, Math.round((req.start - from) * scale));
  const clipTo = Math.min(samples.length, Math.round((req.start - from + req.duration) * scale));
  return { samples, sampleRate: PLAYBACK_RATE, clipFrom, clipTo, spectrogram };
}
