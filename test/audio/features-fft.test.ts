import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { createRealFft } from '../../src/audio/features/fft.js';

test('the real FFT gives the first half of the discrete Fourier transform', () => {
  const rand = seededRandom(4);
  const size = 64;
  const input = Float64Array.from({ length: size }, () => rand() - 0.5);
  const re = new Float64Array(size / 2);
  const im = new Float64Array(size / 2);
  createRealFft(size).transform(input, re, im);
  for (let k = 0; k < size / 2; k++) {
    let expectedRe = 0;
    let expectedIm = 0;
    for (let n = 0; n < size; n++) {
      expectedRe += input[n] * Math.cos((2 * Math.PI * k * n) / size);
      expectedIm -= input[n] * Math.sin((2 * Math.PI * k * n) / size);
    }
    assert.ok(Math.abs(re[k] - expectedRe) < 1e-9 && Math.abs(im[k] - expectedIm) < 1e-9, `bin ${k}: ${re[k]}+${im[k]}i vs ${expectedRe}+${expectedIm}i`);
  }
});
