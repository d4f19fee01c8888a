/** Triangular filters on the mel scale, stored sparsely: filter f covers bins [from[f], from[f] + length). */
export interface MelFilterBank {
  readonly count: number;
  readonly from: Int32Array;
  readonly offsets: Int32Array;
  /** the weights of filter f are weights[offsets[f] .. offsets[f + 1]) */
  readonly weights: Float64Array;
}

const freqToMel = (hz: number) => 1125 * Math.log(1 + hz / 700);
const melToFreq = (mel: number) => 700 * (Math.exp(mel / 1125) - 1);

/**
 * meyda's filter bank: filters evenly spaced in mel from 0 Hz to Nyquist. The edge frequencies are rounded to
 * float32 before they are turned into bins because meyda stores them that way; otherwise a bin edge can move.
 */
export function createMelFilterBank(count: number, sampleRate: number, bufferSize: number): MelFilterBank {
  const step = freqToMel(sampleRate / 2) / (count + 1);
  const edges = new Int32Array(count + 2);
  for (let i = 0; i < edges.length; i++) {
    const hz = Math.fround(melToFreq(Math.fround(i * step)));
    edges[i] = Math.floor(((bufferSize + 1) * hz) / sampleRate);
  }
  const bins = bufferSize / 2;
  const from = new Int32Array(count);
  const offsets = new Int32Array(count + 1);
  const rows: number[][] = [];
  for (let f = 0; f < count; f++) {
    const [lo, mid, hi] = [edges[f], edges[f + 1], edges[f + 2]];
    const row: number[] = [];
    for (let k = lo; k < Math.min(hi, bins); k++) row.push(k < mid ? (k - lo) / (mid - lo) : (hi - k) / (hi - mid));
    from[f] = lo;
    offsets[f + 1] = offsets[f] + row.length;
    rows.push(row);
  }
  return { count, from, offsets, weights: Float64Array.from(rows.flat()) };
}
