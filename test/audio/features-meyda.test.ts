import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFile } from '../../src/audio/decode.js';
import { writeDemoCollection } from '../../src/audio/demo-collection.js';
import { meyda } from '../helpers/meyda.js';
import { createFrameFeatureExtractor, FRAME_FEATURE_NAMES, MFCC_COUNT } from '../../src/audio/features/frame-features.js';
import { FEATURE_SAMPLE_RATE, FRAME_SIZE } from '../../src/audio/features/window-features.js';

const SCALARS = ['spectralCentroid', 'spectralFlatness', 'spectralRolloff', 'rms', 'zcr'] as const;

/** meyda reports the centroid in bins and the rolloff in steps of sampleRate / (bufferSize - 2); hark uses Hz. */
function meydaInHz(name: string, value: number): number {
  if (name === 'spectralCentroid') return (value * FEATURE_SAMPLE_RATE) / FRAME_SIZE;
  if (name === 'spectralRolloff') return (value * (FRAME_SIZE - 2)) / FRAME_SIZE;
  return value;
}

test('the fast extractor computes the same spectra and frame features as meyda on decoded audio', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hark-meyda-'));
  try {
    writeDemoCollection(dir, { files: 1, seconds: 24, seed: 7 });
    const samples = await decodeFile(join(dir, 'demo-01.wav'), FEATURE_SAMPLE_RATE);
    Object.assign(meyda, { bufferSize: FRAME_SIZE, sampleRate: FEATURE_SAMPLE_RATE, numberOfMFCCCoefficients: MFCC_COUNT, melFilterBank: undefined });
    const fast = createFrameFeatureExtractor(FEATURE_SAMPLE_RATE, FRAME_SIZE);
    const out = new Float64Array(FRAME_FEATURE_NAMES.length);
    let frames = 0;
    let worst = 0;
    for (let offset = 0; offset + FRAME_SIZE <= samples.length; offset += 1531) {
      const frame = samples.slice(offset, offset + FRAME_SIZE);
      const ref = meyda.extract(['amplitudeSpectrum', 'mfcc', ...SCALARS], frame) as unknown as Record<string, number & number[]>;
      fast.extract(samples, offset, out, 0);
      const spectrumScale = Math.max(...ref.amplitudeSpectrum);
      for (let k = 0; k < FRAME_SIZE / 2; k++) {
        const diff = Math.abs(fast.context.ampSpectrum[k] - ref.amplitudeSpectrum[k]) / spectrumScale;
        worst = Math.max(worst, diff);
        assert.ok(diff < 1e-4, `frame at ${offset}: amplitude bin ${k} ${fast.context.ampSpectrum[k]} vs meyda ${ref.amplitudeSpectrum[k]}`);
      }
      const mfccScale = Math.max(...ref.mfcc.map(Math.abs));
      for (let k = 0; k < MFCC_COUNT; k++) {
        const diff = Math.abs(out[k] - ref.mfcc[k]) / mfccScale;
        worst = Math.max(worst, diff);
        assert.ok(diff < 1e-4, `frame at ${offset}: mfcc${k} ${out[k]} vs meyda ${ref.mfcc[k]}`);
      }
      SCALARS.forEach((name, i) => {
        const expected = meydaInHz(name, ref[name]);
        const diff = Math.abs(out[MFCC_COUNT + i] - expected) / Math.max(Math.abs(expected), 1e-12);
        worst = Math.max(worst, diff);
        assert.ok(diff < 1e-4, `frame at ${offset}: ${name} ${out[MFCC_COUNT + i]} vs meyda ${expected}`);
      });
      frames++;
    }
    assert.ok(frames > 200, `compared ${frames} frames`);
    console.log(`compared ${frames} frames, worst relative difference ${worst.toExponential(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
