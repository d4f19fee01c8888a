import { createRealFft } from './fft.js';

/** What every per-frame extractor reads: the windowed frame and its spectrum, computed once per frame. */
export interface FrameContext {
  readonly sampleRate: number;
  readonly bufferSize: number;
  /** the frame after the Hann window (as in meyda, time-domain extractors see the windowed frame) */
  readonly signal: Float64Array;
  /** |X[k]| for k < bufferSize / 2 */
  readonly ampSpectrum: Float64Array;
  /** |X[k]|^2 for k < bufferSize / 2 */
  readonly powerSpectrum: Float64Array;
}

export interface FrameAnalyzer {
  readonly context: FrameContext;
  /** fills the context from samples[offset, offset + bufferSize), zeros past the end */
  analyze(samples: Float32Array, offset: number): void;
}

/** meyda's "hanning" window (symmetric, float32 coefficients). */
function hannWindow(size: number): Float32Array {
  const w = new Float32Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));
  return w;
}

export function createFrameAnalyzer(bufferSize: number, sampleRate: number): FrameAnalyzer {
  const fft = createRealFft(bufferSize);
  const window = hannWindow(bufferSize);
  const signal = new Float64Array(bufferSize);
  const bins = bufferSize / 2;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const ampSpectrum = new Float64Array(bins);
  const powerSpectrum = new Float64Array(bins);
  return {
    context: { sampleRate, bufferSize, signal, ampSpectrum, powerSpectrum },
    analyze(samples, offset) {
      const available = Math.max(0, Math.min(bufferSize, samples.length - offset));
      for (let i = 0; i < available; i++) signal[i] = samples[offset + i] * window[i];
      signal.fill(0, available);
      fft.transform(signal, re, im);
      for (let k = 0; k < bins; k++) {
        const p = re[k] * re[k] + im[k] * im[k];
        powerSpectrum[k] = p;
        ampSpectrum[k] = Math.sqrt(p);
      }
    },
  };
}
