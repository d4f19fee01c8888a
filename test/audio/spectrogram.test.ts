import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSpectrogram, spectrogram } from '../../src/audio/spectrogram.js';

const rate = 22050;

test('a tone lights the band that holds its frequency, in every column', () => {
  const tone = Float32Array.from({ length: rate }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate));
  const spec = spectrogram(tone, rate, 10, 12);
  for (let c = 0; c < 10; c++) {
    const column = spec.levels.subarray(c * 12, (c + 1) * 12);
    const loudest = column.indexOf(Math.max(...column));
    // log bands from ~60 Hz to 11 kHz: 1 kHz sits a little past the middle
    assert.ok(loudest >= 5 && loudest <= 7, `column ${c}: loudest band ${loudest}`);
  }
});

test('a spectrogram fits another size: cells averaged when shrinking, the nearest repeated when growing', () => {
  const spec = { columns: 4, bands: 2, levels: Float32Array.from([0, 1, 0.5, 1, 1, 0, 1, 0]), loudness: Float32Array.from([0, 0.5, 1, 1]) };
  assert.deepEqual(fitSpectrogram(spec, 4, 2), spec);
  const half = fitSpectrogram(spec, 2, 1);
  assert.deepEqual([...half.levels], [0.625, 0.5]);
  assert.deepEqual([...half.loudness], [0.25, 1]);
  const double = fitSpectrogram(spec, 8, 2);
  assert.deepEqual([...double.loudness], [0, 0, 0.5, 0.5, 1, 1, 1, 1]);
  assert.deepEqual([...double.levels.subarray(0, 4)], [0, 1, 0, 1]);
});
