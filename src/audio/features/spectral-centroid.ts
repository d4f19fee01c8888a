import type { FrameContext } from './frame-context.js';

/** Amplitude-weighted mean frequency in Hz; 0 for a silent frame. */
export function spectralCentroid({ ampSpectrum, sampleRate, bufferSize }: FrameContext): number {
  let weighted = 0;
  let total = 0;
  for (let k = 0; k < ampSpectrum.length; k++) {
    weighted += k * ampSpectrum[k];
    total += ampSpectrum[k];
  }
  return total > 0 ? ((weighted / total) * sampleRate) / bufferSize : 0;
}
