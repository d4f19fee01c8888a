import type { FrameContext } from './frame-context.js';

/** Geometric over arithmetic mean of the amplitude spectrum: near 1 for noise, near 0 for tones; 0 for a silent frame. */
export function spectralFlatness({ ampSpectrum }: FrameContext): number {
  let logSum = 0;
  let sum = 0;
  for (let k = 0; k < ampSpectrum.length; k++) {
    logSum += Math.log(ampSpectrum[k]);
    sum += ampSpectrum[k];
  }
  return sum > 0 ? (Math.exp(logSum / ampSpectrum.length) * ampSpectrum.length) / sum : 0;
}
