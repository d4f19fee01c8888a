import type { FrameContext } from './frame-context.js';

/** Root mean square of the windowed frame. */
export function rms({ signal }: FrameContext): number {
  let sum = 0;
  for (let i = 0; i < signal.length; i++) sum += signal[i] * signal[i];
  return Math.sqrt(sum / signal.length);
}
