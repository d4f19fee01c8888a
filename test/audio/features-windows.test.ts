import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { extractWindowFeatures, FEATURE_DIMS, FEATURE_NAMES, FEATURE_SAMPLE_RATE, windowFeatureStream } from '../../src/audio/features/window-features.js';

const rate = FEATURE_SAMPLE_RATE;

function tone(seconds: number, freq: number, level = 0.3): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => level * Math.sin((2 * Math.PI * freq * i) / rate));
}

test('every window of a file gets one vector of named features', () => {
  const v = extractWindowFeatures(tone(3, 440), { windows: 3, clip: 1 });
  assert.equal(v.length, 3 * FEATURE_DIMS);
  assert.equal(FEATURE_NAMES.length, FEATURE_DIMS);
  assert.ok(v.every(Number.isFinite));
});

test("a window's own features depend only on its samples; its surroundings, on the windows within a second", () => {
  const rand = seededRandom(1);
  const samples = Float32Array.from({ length: 5 * rate }, (_, i) => 0.2 * (rand() - 0.5) + 0.2 * Math.sin(i / 7));
  const all = extractWindowFeatures(samples, { windows: 5, clip: 1 });
  const row = (vectors: Float32Array, w: number) => [...vectors.subarray(w * FEATURE_DIMS, (w + 1) * FEATURE_DIMS)];
  const own = FEATURE_NAMES.filter((n) => !n.includes('Around')).length;
  const third = extractWindowFeatures(samples.subarray(2 * rate, 3 * rate), { windows: 1, clip: 1 });
  assert.deepEqual(row(all, 2).slice(0, own), row(third, 0).slice(0, own));
  // silence two windows away is out of reach; one window away, it sets the floor
  const silenced = Float32Array.from(samples).fill(0, 4 * rate);
  const withSilence = extractWindowFeatures(silenced, { windows: 5, clip: 1 });
  const around = FEATURE_NAMES.indexOf('rmsDb.quietAround');
  assert.equal(withSilence[2 * FEATURE_DIMS + around], all[2 * FEATURE_DIMS + around]);
  assert.ok(withSilence[3 * FEATURE_DIMS + around] < -90, `${withSilence[3 * FEATURE_DIMS + around]} dB`);
});

test('windows past the end of the decoded audio and files shorter than one frame still get finite vectors', () => {
  const v = extractWindowFeatures(tone(1.5, 1000), { windows: 3, clip: 1 });
  assert.ok(v.every(Number.isFinite), 'the decoder gave less audio than the probe promised');
  const short = extractWindowFeatures(tone(0.02, 1000), { windows: 1, clip: 1 });
  assert.ok(short.every(Number.isFinite));
});

test('the features tell a tone from noise and loud from quiet', () => {
  const rand = seededRandom(2);
  const noise = Float32Array.from({ length: rate }, () => 0.3 * (rand() * 2 - 1));
  const at = (name: string) => FEATURE_NAMES.indexOf(name);
  const t = extractWindowFeatures(tone(1, 1000), { windows: 1, clip: 1 });
  const n = extractWindowFeatures(noise, { windows: 1, clip: 1 });
  const quiet = extractWindowFeatures(tone(1, 1000, 0.003), { windows: 1, clip: 1 });
  assert.ok(n[at('spectralFlatness.mean')] > 5 * t[at('spectralFlatness.mean')]);
  assert.ok(Math.abs(t[at('spectralCentroid.mean')] - 1000) < 150, `centroid ${t[at('spectralCentroid.mean')]}`);
  assert.ok(Math.abs(t[at('rmsDb.mean')] - quiet[at('rmsDb.mean')] - 40) < 1, 'a 100x quieter tone is 40 dB down');
});

test('audio arriving in chunks of any size gives the same vectors as the whole file at once', () => {
  const rand = seededRandom(3);
  const samples = Float32Array.from({ length: Math.round(3.7 * rate) }, () => 0.3 * (rand() - 0.5));
  for (const clip of [1, 0.3]) {
    const windows = Math.floor(3.7 / clip);
    const whole = extractWindowFeatures(samples, { windows, clip });
    const stream = windowFeatureStream({ windows, clip });
    for (let at = 0; at < samples.length; at += 4093) stream.push(samples.subarray(at, at + 4093));
    assert.deepEqual(stream.finish(), whole, `clip ${clip}`);
  }
});

/** Four bursts a second, like syllables, with silence between them. */
const syllables = (seconds: number) => tone(seconds, 300).map((v, i) => (Math.floor((i / rate) * 8) % 2 === 0 ? v : 0));

test('the level of the quietest frames tells syllables with silent pauses from the same syllables over a bed', () => {
  // the bed is 20 dB quieter than the syllables
  const bed = tone(1, 660, 0.03);
  const overBed = syllables(1).map((v, i) => v + bed[i]);
  const at = (name: string) => FEATURE_NAMES.indexOf(name);
  const alone = extractWindowFeatures(syllables(1), { windows: 1, clip: 1 });
  const withBed = extractWindowFeatures(overBed, { windows: 1, clip: 1 });
  assert.ok(alone[at('rmsDb.quiet')] < -90, `pauses are silent: ${alone[at('rmsDb.quiet')]} dB`);
  assert.ok(Math.abs(withBed[at('rmsDb.quiet')] - 20 * Math.log10(0.03 / Math.SQRT2 * Math.sqrt(3 / 8))) < 3, `the bed's level: ${withBed[at('rmsDb.quiet')]} dB`);
  assert.ok(withBed[at('rmsDb.quietBelowMean')] > alone[at('rmsDb.quietBelowMean')] + 30);
});

test('a second without a pause is told apart by the pauses around it: silent, or filled by a bed', () => {
  // syllables, then a second of unbroken voice, then syllables again
  const speech = syllables(3).map((v, i) => (i >= rate && i < 2 * rate ? tone(1, 300)[i - rate] : v));
  const bed = tone(3, 660, 0.03);
  const overBed = speech.map((v, i) => v + bed[i]);
  const at = (name: string) => FEATURE_DIMS + FEATURE_NAMES.indexOf(name); // the middle window
  const alone = extractWindowFeatures(speech, { windows: 3, clip: 1 });
  const withBed = extractWindowFeatures(overBed, { windows: 3, clip: 1 });
  assert.ok(Math.abs(alone[at('rmsDb.quiet')] - withBed[at('rmsDb.quiet')]) < 3, 'within the second itself the bed is masked');
  assert.ok(alone[at('rmsDb.quietAround')] < -90, `the pauses around it are silent: ${alone[at('rmsDb.quietAround')]} dB`);
  assert.ok(withBed[at('rmsDb.quietAroundBelowMean')] > alone[at('rmsDb.quietAroundBelowMean')] + 30);
});

test('periodicity tells a voice-pitched sound from noise, down to the lowest pitch looked for', () => {
  const rand = seededRandom(5);
  const at = FEATURE_NAMES.indexOf('periodicity.mean');
  const sawtooth = (freq: number) => Float32Array.from({ length: rate }, (_, i) => 0.3 * (((i * freq) / rate) % 1) - 0.15);
  const noise = Float32Array.from({ length: rate }, () => 0.3 * (rand() - 0.5));
  for (const freq of [110, 220, 480]) {
    const v = extractWindowFeatures(sawtooth(freq), { windows: 1, clip: 1 });
    assert.ok(v[at] > 0.9, `${freq} Hz sawtooth: ${v[at]}`);
  }
  assert.ok(extractWindowFeatures(noise, { windows: 1, clip: 1 })[at] < 0.4);
  assert.equal(extractWindowFeatures(new Float32Array(rate), { windows: 1, clip: 1 })[at], 0);
});

test('a sustained chord has a steadier spectrum than noise or vowels that change every few frames', () => {
  const rand = seededRandom(6);
  const at = (name: string) => FEATURE_NAMES.indexOf(name);
  const chord = [262, 330, 392].map((f) => tone(1, f, 0.1)).reduce((a, b) => a.map((v, i) => v + b[i]));
  const noise = Float32Array.from({ length: rate }, () => 0.3 * (rand() - 0.5));
  // two "vowels" (different harmonics over the same 150 Hz voice) swapping every 40 ms
  const vowels = Float32Array.from({ length: rate }, (_, i) => {
    const harmonic = Math.floor((i / rate) * 25) % 2 === 0 ? 3 : 11;
    return 0.1 * Math.sin((2 * Math.PI * 150 * i) / rate) + 0.2 * Math.sin((2 * Math.PI * 150 * harmonic * i) / rate);
  });
  const [c, n, v] = [chord, noise, vowels].map((s) => extractWindowFeatures(s, { windows: 1, clip: 1 }));
  assert.ok(c[at('spectrum.frameSimilarity')] > 0.99, `chord ${c[at('spectrum.frameSimilarity')]}`);
  assert.ok(c[at('spectrum.frameSimilarity')] > v[at('spectrum.frameSimilarity')] + 0.1, `vowels ${v[at('spectrum.frameSimilarity')]}`);
  assert.ok(c[at('spectrum.frameSimilarity')] > n[at('spectrum.frameSimilarity')] + 0.1, `noise ${n[at('spectrum.frameSimilarity')]}`);
  assert.ok(n[at('spectrum.longTermFlatness')] > c[at('spectrum.longTermFlatness')] + 2, 'noise spreads its energy over every band');
});

test('partials held for a fifth of a second mark a sustained note, not noise or syllables shorter than that', () => {
  const rand = seededRandom(7);
  const at = FEATURE_NAMES.indexOf('partials.heldLong');
  const pitches = [200, 400, 300, 500, 250, 450, 350, 550];
  let phase = 0;
  const syllables = Float32Array.from({ length: rate }, (_, i) => {
    phase += (2 * Math.PI * pitches[Math.floor(i / (rate / 8))]) / rate; // a new pitch every 125 ms
    return 0.3 * Math.sin(phase);
  });
  const noise = Float32Array.from({ length: rate }, () => 0.3 * (rand() - 0.5));
  const [n, s, z] = [tone(1, 300), syllables, noise].map((x) => extractWindowFeatures(x, { windows: 1, clip: 1 })[at]);
  assert.ok(n > 0.75, `note ${n}`);
  assert.ok(s < 0.1, `syllables ${s}`);
  assert.ok(z < 0.15, `noise ${z}`);
});
