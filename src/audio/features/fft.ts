/** An in-place radix-2 complex FFT of one fixed size, with its tables computed once. */
export interface Fft {
  readonly size: number;
  /** transforms (re, im) in place; both arrays have `size` entries */
  transform(re: Float64Array, im: Float64Array): void;
}

export function createFft(size: number): Fft {
  if (!(size >= 2 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size must be a power of two, got ${size}`);
  const bits = Math.log2(size);
  const reversed = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reversed[i] = r;
  }
  const cos = new Float64Array(size / 2);
  const sin = new Float64Array(size / 2);
  for (let i = 0; i < size / 2; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / size);
    sin[i] = -Math.sin((2 * Math.PI * i) / size);
  }
  return {
    size,
    transform(re, im) {
      for (let i = 0; i < size; i++) {
        const j = reversed[i];
        if (j > i) {
          const tr = re[i];
          re[i] = re[j];
          re[j] = tr;
          const ti = im[i];
          im[i] = im[j];
          im[j] = ti;
        }
      }
      for (let half = 1; half < size; half <<= 1) {
        const step = size / (2 * half);
        for (let start = 0; start < size; start += 2 * half) {
          for (let k = 0; k < half; k++) {
            const wr = cos[k * step];
            const wi = sin[k * step];
            const a = start + k;
            const b = a + half;
            const xr = re[b] * wr - im[b] * wi;
            const xi = re[b] * wi + im[b] * wr;
            re[b] = re[a] - xr;
            im[b] = im[a] - xi;
            re[a] += xr;
            im[a] += xi;
          }
        }
      }
    },
  };
}

/** The first size / 2 bins of the FFT of a real signal, through one complex FFT of half its size. */
export interface RealFft {
  readonly size: number;
  /** reads `size` samples of input, writes size / 2 bins into re and im */
  transform(input: Float64Array, re: Float64Array, im: Float64Array): void;
}

export function createRealFft(size: number): RealFft {
  const half = size / 2;
  const fft = createFft(half);
  const zr = new Float64Array(half);
  const zi = new Float64Array(half);
  const cos = Float64Array.from({ length: half }, (_, k) => Math.cos((2 * Math.PI * k) / size));
  const sin = Float64Array.from({ length: half }, (_, k) => -Math.sin((2 * Math.PI * k) / size));
  return {
    size,
    transform(input, re, im) {
      // even samples as the real part, odd ones as the imaginary part; then split the two spectra apart
      for (let m = 0; m < half; m++) {
        zr[m] = input[2 * m];
        zi[m] = input[2 * m + 1];
      }
      fft.transform(zr, zi);
      for (let k = 0; k < half; k++) {
        const j = k === 0 ? 0 : half - k;
        const evenRe = (zr[k] + zr[j]) / 2;
        const evenIm = (zi[k] - zi[j]) / 2;
        const oddRe = (zi[k] + zi[j]) / 2;
        const oddIm = (zr[j] - zr[k]) / 2;
        re[k] = evenRe + cos[k] * oddRe - sin[k] * oddIm;
        im[k] = evenIm + cos[k] * oddIm + sin[k] * oddRe;
      }
    },
  };
}
