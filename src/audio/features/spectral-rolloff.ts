import type { FrameContext } from './frame-context.js';

const ROLLOFF_SHARE = 0.99;

/** The frequency in Hz below which 99% of the spectrum's amplitude lies. */
export function spectralRolloff({ ampSpectrum, sampleRate, bufferSize }: FrameContext): number {
  let total = 0;
  for (let k = 0; k < ampSpectrum.length; k++) total += ampSpectrum[k];
  const threshold = ROLLOFF_SHARE * total;
  let above = total;
  let k = ampSpectrum.length - 1;
  while (above > threshold && k >= 0) above -= ampSpectrum[k--];
  return ((k + 1) * sampleRate) / bufferSize;
}
