import type { FrameContext } from './frame-context.js';

/** Number of sign changes in the windowed frame (zero counts as positive). */
export function zcr({ signal }: FrameContext): number {
  let count = 0;
  for (let i = 1; i < signal.length; i++) if (signal[i - 1] >= 0 !== signal[i] >= 0) count++;
  return count;
}
