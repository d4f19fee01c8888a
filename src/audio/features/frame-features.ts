import { createFrameAnalyzer, type FrameContext } from './frame-context.js';
import { createMfcc } from './mfcc.js';
import { createPeriodicity } from './periodicity.js';
import { rms } from './rms.js';
import { spectralCentroid } from './spectral-centroid.js';
import { spectralFlatness } from './spectral-flatness.js';
import { spectralRolloff } from './spectral-rolloff.js';
import { zcr } from './zcr.js';

export const MFCC_COUNT = 13;
const SCALAR_EXTRACTORS = { spectralCentroid, spectralFlatness, spectralRolloff, rms, zcr };
const SCALARS = Object.values(SCALAR_EXTRACTORS);

/** Names of the per-frame values, in the order they are written. */
export const FRAME_FEATURE_NAMES: readonly string[] = [
  ...Array.from({ length: MFCC_COUNT }, (_, i) => `mfcc${i}`),
  ...Object.keys(SCALAR_EXTRACTORS),
  'periodicity',
];
export const RMS_INDEX = FRAME_FEATURE_NAMES.indexOf('rms');

export interface FrameFeatureExtractor {
  /** the last extracted frame and its spectrum */
  readonly context: FrameContext;
  /** writes the frame starting at samples[offset] as FRAME_FEATURE_NAMES.length values into out[at ..] */
  extract(samples: Float32Array, offset: number, out: Float64Array, at: number): void;
}

/** All per-frame features from one FFT; allocates nothing per frame. */
export function createFrameFeatureExtractor(sampleRate: number, bufferSize: number): FrameFeatureExtractor {
  const analyzer = createFrameAnalyzer(bufferSize, sampleRate);
  const mfcc = createMfcc(MFCC_COUNT, sampleRate, bufferSize);
  const periodicity = createPeriodicity(bufferSize, sampleRate);
  const ctx = analyzer.context;
  return {
    context: ctx,
    extract(samples, offset, out, at) {
      analyzer.analyze(samples, offset);
      mfcc(ctx, out, at);
      for (let i = 0; i < SCALARS.length; i++) out[at + MFCC_COUNT + i] = SCALARS[i](ctx);
      out[at + MFCC_COUNT + SCALARS.length] = periodicity(ctx);
    },
  };
}
