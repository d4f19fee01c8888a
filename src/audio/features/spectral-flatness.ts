import type { FrameContext } from './frame-context.js';

/** Geometric over arithmetic mean of the amplitude spectrum: near 1 for noise, near 0 for tones; 0 for a silent frame. */
export function spectralFlatness({ ampSpectrum }: FrameContext): number {
  return flatness(ampSpectrum);
}

/**
 * Geometric over arithmetic mean of values[from ..]; `floor` is added inside the logarithm, so that a zero value
 * does not send the geometric mean to 0. 0 when the values sum to 0.
 */
export function flatness(values: ArrayLike<number>, from = 0, floor = 0): number {
  const n = values.length - from;
  let logSum = 0;
  let sum = 0;
  for (let k = from; k < values.length; k++) {
    logSum += Math.log(values[k] + floor);
    sum += values[k];
  }
  return sum > 0 ? (Math.exp(logSum / n) * n) / sum : 0;
}
