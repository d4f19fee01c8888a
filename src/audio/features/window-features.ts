import { createFrameFeatureExtractor, FRAME_FEATURE_NAMES, MFCC_COUNT, RMS_INDEX } from './frame-features.js';
import { createHeldPartials } from './held-partials.js';
import { createSpectralStability } from './spectral-stability.js';

/** Bump when anything below changes what a vector holds: cached vectors of another version are recomputed. */
export const FEATURE_VERSION = 5;
export const FEATURE_SAMPLE_RATE = 16_000;
export const FRAME_SIZE = 512;
export const FRAME_HOP = 256;

const FRAME_DIMS = FRAME_FEATURE_NAMES.length;
/**
 * RMS is pooled in decibels, so a change in loudness counts in proportion (quiet passages are told apart as well as
 * loud ones); the floor keeps digital silence finite, at -100 dB.
 */
const SILENCE_FLOOR = 1e-5;

/**
 * One window's vector: mean and std of every frame feature, the std of the MFCC deltas (their mean is ~0), the
 * level of its quietest frames, absolute and below the mean, how steady its spectrum is, and how much of its energy
 * is in partials held steady; then the level of the quietest frames around it, within CONTEXT_SECONDS either side,
 * again absolute and below the window's mean. That floor tells speech alone (pauses fall to the room's noise) from
 * speech over a music bed or a noisy scene (the pauses stay filled). A second of fluent speech may hold no pause at
 * all; three seconds nearly always do, so the floor around the window is what tells them apart there.
 */
export const FEATURE_NAMES: readonly string[] = [
  ...FRAME_FEATURE_NAMES.map((n) => `${n === 'rms' ? 'rmsDb' : n}.mean`),
  ...FRAME_FEATURE_NAMES.map((n) => `${n === 'rms' ? 'rmsDb' : n}.std`),
  ...Array.from({ length: MFCC_COUNT }, (_, i) => `deltaMfcc${i}.std`),
  'rmsDb.quiet',
  'rmsDb.quietBelowMean',
  'spectrum.longTermFlatness',
  'spectrum.frameSimilarity',
  'partials.heldShort',
  'partials.heldLong',
  'rmsDb.quietAround',
  'rmsDb.quietAroundBelowMean',
];
export const FEATURE_DIMS = FEATURE_NAMES.length;
const QUIET_AT = FEATURE_NAMES.indexOf('rmsDb.quiet');
const STABILITY_AT = FEATURE_NAMES.indexOf('spectrum.longTermFlatness');
const PARTIALS_AT = FEATURE_NAMES.indexOf('partials.heldShort');
const AROUND_AT = FEATURE_NAMES.indexOf('rmsDb.quietAround');
/** Partials are looked for below a quarter of the sample rate, where voices and most instruments put them. */
const PARTIAL_BINS = FRAME_SIZE / 4;
/** The quiet frames: the tenth percentile of frame levels. */
const QUIET_QUANTILE = 0.1;
/** How far either side of a window its surroundings reach. */
const CONTEXT_SECONDS = 1;

export interface WindowLayout {
  /** number of windows to produce (the grid's count for this file) */
  windows: number;
  /** clip length in seconds */
  clip: number;
}

/** Takes a file's samples (at FEATURE_SAMPLE_RATE) in chunks of any size, extracting each window once it is complete. */
export interface WindowFeatureStream {
  push(samples: Float32Array): void;
  /** the vectors, windows x FEATURE_DIMS row-major; windows the audio did not reach are silence */
  finish(): Float32Array;
}

/**
 * Window w covers samples [round(w * clip * rate), round((w + 1) * clip * rate)). Every feature but the two of its
 * surroundings sees only those samples; the surroundings are filled in by finish(), once the file's every window is
 * known. Samples past the last window are ignored.
 */
export function windowFeatureStream({ windows, clip }: WindowLayout): WindowFeatureStream {
  const extractor = createFrameFeatureExtractor(FEATURE_SAMPLE_RATE, FRAME_SIZE);
  const stability = createSpectralStability(FRAME_SIZE / 2);
  const partials = createHeldPartials(PARTIAL_BINS, FEATURE_SAMPLE_RATE / FRAME_HOP);
  const boundary = (w: number) => Math.round(w * clip * FEATURE_SAMPLE_RATE);
  const window = new Float32Array(Math.ceil(clip * FEATURE_SAMPLE_RATE) + 1);
  const frames = new Float64Array(framesIn(window.length) * FRAME_DIMS);
  const levels = new Float64Array(framesIn(window.length));
  const out = new Float32Array(windows * FEATURE_DIMS);
  let w = 0;
  let filled = 0;
  const extractWindow = (length: number) => {
    const count = framesIn(length);
    const samples = window.subarray(0, length);
    for (let t = 0; t < count; t++) {
      extractor.extract(samples, t * FRAME_HOP, frames, t * FRAME_DIMS);
      stability.add(extractor.context.ampSpectrum);
      partials.add(extractor.context.ampSpectrum);
    }
    for (let t = 0; t < count; t++) {
      const at = t * FRAME_DIMS + RMS_INDEX;
      frames[at] = 20 * Math.log10(frames[at] + SILENCE_FLOOR);
      levels[t] = frames[at];
    }
    const row = w * FEATURE_DIMS;
    poolFrames(frames, count, out, row);
    const quiet = levels.subarray(0, count).sort()[Math.floor(count * QUIET_QUANTILE)];
    out[row + QUIET_AT] = quiet;
    out[row + QUIET_AT + 1] = quiet - out[row + RMS_INDEX];
    out.set(stability.finish(), row + STABILITY_AT);
    out.set(partials.finish(), row + PARTIALS_AT);
    w++;
    filled = 0;
  };
  return {
    push(samples) {
      let from = 0;
      while (w < windows && from < samples.length) {
        const length = boundary(w + 1) - boundary(w);
        const take = Math.min(length - filled, samples.length - from);
        window.set(samples.subarray(from, from + take), filled);
        filled += take;
        from += take;
        if (filled === length) extractWindow(length);
      }
    },
    finish() {
      while (w < windows) extractWindow(filled);
      addSurroundings(out, windows, Math.max(1, Math.round(CONTEXT_SECONDS / clip)));
      return out;
    },
  };
}

/** All window vectors of one file's samples at once (see windowFeatureStream). */
export function extractWindowFeatures(samples: Float32Array, layout: WindowLayout): Float32Array {
  const stream = windowFeatureStream(layout);
  stream.push(samples);
  return stream.finish();
}

/** For each window, the lowest quiet level of the windows within `reach` of it, absolute and below its own mean level. */
function addSurroundings(out: Float32Array, windows: number, reach: number): void {
  for (let w = 0; w < windows; w++) {
    let quietest = Infinity;
    for (let n = Math.max(0, w - reach); n <= Math.min(windows - 1, w + reach); n++) quietest = Math.min(quietest, out[n * FEATURE_DIMS + QUIET_AT]);
    out[w * FEATURE_DIMS + AROUND_AT] = quietest;
    out[w * FEATURE_DIMS + AROUND_AT + 1] = quietest - out[w * FEATURE_DIMS + RMS_INDEX];
  }
}

/** Frames that fit in `length` samples; a window shorter than one frame still gets one (zero-padded) frame. */
function framesIn(length: number): number {
  return length < FRAME_SIZE ? 1 : 1 + Math.floor((length - FRAME_SIZE) / FRAME_HOP);
}

function poolFrames(frames: Float64Array, count: number, out: Float32Array, at: number): void {
  for (let d = 0; d < FRAME_DIMS; d++) {
    let sum = 0;
    let sumSq = 0;
    for (let t = 0; t < count; t++) {
      const v = frames[t * FRAME_DIMS + d];
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / count;
    out[at + d] = mean;
    out[at + FRAME_DIMS + d] = Math.sqrt(Math.max(0, sumSq / count - mean * mean));
  }
  for (let d = 0; d < MFCC_COUNT; d++) {
    let sum = 0;
    let sumSq = 0;
    for (let t = 0; t < count; t++) {
      const next = frames[Math.min(t + 1, count - 1) * FRAME_DIMS + d];
      const prev = frames[Math.max(t - 1, 0) * FRAME_DIMS + d];
      const delta = (next - prev) / 2;
      sum += delta;
      sumSq += delta * delta;
    }
    const mean = sum / count;
    out[at + 2 * FRAME_DIMS + d] = Math.sqrt(Math.max(0, sumSq / count - mean * mean));
  }
}
