import type { FrameContext } from './frame-context.js';
import { createMelFilterBank } from './mel-filter-bank.js';

/** Writes `count` MFCCs of the frame into out[at ..]. */
export type MfccExtractor = (ctx: FrameContext, out: Float64Array, at: number) => void;

/** meyda's filter count: 26 mel bands. */
const MEL_BANDS = 26;

/** MFCCs as meyda computes them: log(1 + mel band power), then an unnormalised DCT-II (scale 2). */
export function createMfcc(count: number, sampleRate: number, bufferSize: number): MfccExtractor {
  const bank = createMelFilterBank(Math.max(MEL_BANDS, count), sampleRate, bufferSize);
  const bands = bank.count;
  const cosines = new Float64Array(count * bands);
  for (let k = 0; k < count; k++) {
    for (let n = 0; n < bands; n++) cosines[k * bands + n] = 2 * Math.cos((Math.PI / bands) * (n + 0.5) * k);
  }
  const logBands = new Float64Array(bands);
  return ({ powerSpectrum }, out, at) => {
    for (let f = 0; f < bands; f++) {
      let sum = 0;
      const from = bank.from[f];
      for (let w = bank.offsets[f], k = from; w < bank.offsets[f + 1]; w++, k++) sum += bank.weights[w] * powerSpectrum[k];
      logBands[f] = Math.log(sum + 1);
    }
    for (let k = 0; k < count; k++) {
      let c = 0;
      for (let n = 0; n < bands; n++) c += cosines[k * bands + n] * logBands[n];
      out[at + k] = c;
    }
  };
}
