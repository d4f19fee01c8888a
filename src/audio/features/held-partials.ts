/**
 * How much of a window's tonal energy sits in partials held steady: spectral peaks that stay on the same bin (give
 * or take one) from frame to frame. Notes of music and a station's tone hold their partials for tenths of a second;
 * speech changes pitch and vowel a few times a second; noise has peaks only by chance. Fed one frame's
 * amplitude spectrum at a time; `finish` also starts a new window.
 */
export interface HeldPartials {
  add(ampSpectrum: Float64Array): void;
  /** of the peak amplitude in the window, the shares in partials held at least SHORT and LONG seconds so far */
  finish(): [number, number];
}

const SHORT = 0.1;
const LONG = 0.2;
/** Peaks weaker than this share of the frame's strongest bin (-40 dB) are not partials. */
const PEAK_FLOOR = 0.01;

/** `bins`: the low part of the spectrum searched for peaks; `framesPerSecond`: the frame rate. */
export function createHeldPartials(bins: number, framesPerSecond: number): HeldPartials {
  const shortFrames = Math.round(SHORT * framesPerSecond);
  const longFrames = Math.round(LONG * framesPerSecond);
  let age = new Int32Array(bins);
  let previous = new Int32Array(bins);
  let total = 0;
  let short = 0;
  let long = 0;
  return {
    add(amp) {
      let strongest = 0;
      for (let k = 0; k < bins; k++) strongest = Math.max(strongest, amp[k]);
      age.fill(0);
      const floor = strongest * PEAK_FLOOR;
      for (let k = 1; k < bins - 1; k++) {
        const v = amp[k];
        if (!(v > floor && v > amp[k - 1] && v >= amp[k + 1])) continue;
        age[k] = 1 + Math.max(previous[k - 1], previous[k], previous[k + 1]);
        total += v;
        if (age[k] >= shortFrames) short += v;
        if (age[k] >= longFrames) long += v;
      }
      [previous, age] = [age, previous];
    },
    finish() {
      const result: [number, number] = total > 0 ? [short / total, long / total] : [0, 0];
      previous.fill(0);
      total = short = long = 0;
      return result;
    },
  };
}
