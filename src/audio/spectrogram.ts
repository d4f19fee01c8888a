import { createFrameAnalyzer } from './features/frame-context.js';

const FRAME = 512;
const DYNAMIC_RANGE_DB = 60;

export interface Spectrogram {
  columns: number;
  bands: number;
  /** levels in 0..1 (0 = 60 dB below the loudest cell), band 0 the lowest: values[col * bands + band] */
  levels: Float32Array;
  /** per-column loudness in 0..1 on the same scale */
  loudness: Float32Array;
}

/** The resolution a clip is analysed at, once, where it is decoded; a screen fits it to its own size. */
export const CLIP_SPECTROGRAM = { columns: 240, bands: 12 };

/** A small log-frequency spectrogram for drawing in a terminal, from the feature extractor's own spectra. */
export function spectrogram(samples: Float32Array, sampleRate: number, columns: number, bands: number): Spectrogram {
  const analyzer = createFrameAnalyzer(FRAME, sampleRate);
  const spectrum = analyzer.context.ampSpectrum;
  const db = new Float32Array(columns * bands);
  const loud = new Float32Array(columns);
  const edges = bandEdges(bands, FRAME / 2, sampleRate);
  for (let c = 0; c < columns; c++) {
    const from = Math.floor(((samples.length - FRAME) * c) / Math.max(1, columns - 1));
    analyzer.analyze(samples, Math.max(0, from));
    let energy = 0;
    for (let b = 0; b < bands; b++) {
      let sum = 0;
      for (let k = edges[b]; k < edges[b + 1]; k++) sum += spectrum[k] * spectrum[k];
      energy += sum;
      db[c * bands + b] = toDb(sum / (edges[b + 1] - edges[b]));
    }
    loud[c] = toDb(energy / (FRAME / 2));
  }
  return { columns, bands, levels: normalize(db), loudness: normalize(loud) };
}

/**
 * The spectrogram at another size: each new cell is the mean of the cells it covers, or the nearest one where it
 * covers less than one.
 */
export function fitSpectrogram(spec: Spectrogram, columns: number, bands: number): Spectrogram {
  const span = (i: number, from: number, to: number): [number, number] => {
    const a = Math.floor((i * from) / to);
    return [a, Math.max(a + 1, Math.floor(((i + 1) * from) / to))];
  };
  const levels = new Float32Array(columns * bands);
  const loudness = new Float32Array(columns);
  for (let c = 0; c < columns; c++) {
    const [c0, c1] = span(c, spec.columns, columns);
    for (let x = c0; x < c1; x++) loudness[c] += spec.loudness[x] / (c1 - c0);
    for (let b = 0; b < bands; b++) {
      const [b0, b1] = span(b, spec.bands, bands);
      let sum = 0;
      for (let x = c0; x < c1; x++) for (let y = b0; y < b1; y++) sum += spec.levels[x * spec.bands + y];
      levels[c * bands + b] = sum / ((c1 - c0) * (b1 - b0));
    }
  }
  return { columns, bands, levels, loudness };
}

/** FFT-bin edges of log-spaced bands from ~60 Hz to Nyquist; every band at least one bin wide. */
function bandEdges(bands: number, bins: number, sampleRate: number): Int32Array {
  const lowBin = Math.max(1, Math.round((60 * FRAME) / sampleRate));
  const edges = new Int32Array(bands + 1);
  for (let b = 0; b <= bands; b++) {
    const bin = Math.round(lowBin * Math.pow(bins / lowBin, b / bands));
    edges[b] = Math.min(bins, Math.max(bin, b === 0 ? lowBin : edges[b - 1] + 1));
  }
  return edges;
}

function toDb(power: number): number {
  return 10 * Math.log10(power + 1e-12);
}

function normalize(db: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of db) max = Math.max(max, v);
  const out = new Float32Array(db.length);
  for (let i = 0; i < db.length; i++) out[i] = Math.max(0, 1 - (max - db[i]) / DYNAMIC_RANGE_DB);
  return out;
}
