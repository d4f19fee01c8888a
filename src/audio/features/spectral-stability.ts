import { flatness } from './spectral-flatness.js';

/**
 * How steady a window's spectrum is across its frames: the flatness of its average spectrum (a sustained chord or
 * tone keeps energy in a few bins; speech moves its formants and so spreads it) and how alike successive frames'
 * spectra are (cosine similarity). Fed one frame's amplitude spectrum at a time; `finish` also starts a new window.
 */
export interface SpectralStability {
  add(ampSpectrum: Float64Array): void;
  /** [log of the long-term spectral flatness, mean similarity of successive frames (0 with fewer than two)] */
  finish(): [number, number];
}

/** Keeps the log finite for a silent window. */
const FLATNESS_FLOOR = 1e-9;

export function createSpectralStability(bins: number): SpectralStability {
  const sum = new Float64Array(bins);
  const previous = new Float64Array(bins);
  /** 0 before a window's first frame: it has no predecessor to be compared with */
  let previousNorm = 0;
  let similarity = 0;
  let pairs = 0;
  return {
    add(amp) {
      let dot = 0;
      let norm = 0;
      for (let k = 0; k < bins; k++) {
        dot += amp[k] * previous[k];
        norm += amp[k] * amp[k];
        sum[k] += amp[k];
      }
      norm = Math.sqrt(norm);
      if (norm > 0 && previousNorm > 0) {
        similarity += dot / (norm * previousNorm);
        pairs++;
      }
      previous.set(amp.subarray(0, bins));
      previousNorm = norm;
    },
    finish() {
      // the DC bin is left out: an offset in the recording is not part of the sound's spectrum
      const result: [number, number] = [Math.log(flatness(sum, 1, FLATNESS_FLOOR) + FLATNESS_FLOOR), pairs ? similarity / pairs : 0];
      sum.fill(0);
      previousNorm = 0;
      similarity = 0;
      pairs = 0;
      return result;
    },
  };
}
