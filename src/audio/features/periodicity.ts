import { createRealFft } from './fft.js';
import { createFrameAnalyzer, type FrameContext } from './frame-context.js';

/** Lowest and highest fundamental looked for: voices and most pitched instruments. */
const MIN_HZ = 100;
const MAX_HZ = 500;

/**
 * How periodic a frame is: the highest normalized autocorrelation at a lag between 1/MAX_HZ and 1/MIN_HZ, near 1 for
 * a sustained pitched sound, low for noise, 0 for silence.
 *
 * The autocorrelation comes from the lower half of the frame's power spectrum through one inverse FFT of half the
 * frame's size (pitch shows below a quarter of the sample rate, and this halves the work), and is divided by the
 * analysis window's own, which would otherwise pull long lags down (Boersma 1993). The lowest pitch keeps three
 * periods in a frame, where that division stays stable.
 */
export function createPeriodicity(bufferSize: number, sampleRate: number): (ctx: FrameContext) => number {
  const size = bufferSize / 2;
  const fft = createRealFft(size);
  const spectrum = new Float64Array(size);
  const re = new Float64Array(size / 2);
  const im = new Float64Array(size / 2);
  // lags count in samples at half the sample rate
  const minLag = Math.max(1, Math.floor(sampleRate / 2 / MAX_HZ));
  const maxLag = Math.min(Math.ceil(sampleRate / 2 / MIN_HZ), Math.floor(size / 3));
  const autocorrelate = (power: Float64Array) => {
    spectrum[size / 2] = 0;
    for (let k = 0; k < size / 2; k++) {
      spectrum[k] = power[k];
      if (k > 0) spectrum[size - k] = power[k];
    }
    fft.transform(spectrum, re, im); // the spectrum is real and even, so the forward transform is the inverse one, unscaled
    return re;
  };
  // the window's own autocorrelation, computed the same way: a frame of ones comes out of the analyzer as the window
  const windowed = createFrameAnalyzer(bufferSize, sampleRate);
  windowed.analyze(new Float32Array(bufferSize).fill(1), 0);
  const windowShape = Float64Array.from(autocorrelate(windowed.context.powerSpectrum));
  const inverseShape = Float64Array.from({ length: maxLag + 1 }, (_, lag) => 1 / (windowShape[lag] / windowShape[0]));
  return ({ powerSpectrum }) => {
    const r = autocorrelate(powerSpectrum);
    if (!(r[0] > 0)) return 0;
    let best = 0;
    for (let lag = minLag; lag <= maxLag; lag++) best = Math.max(best, r[lag] * inverseShape[lag]);
    return Math.min(best / r[0], 1);
  };
}
