import { extractWindowFeatures, FEATURE_NAMES, FEATURE_SAMPLE_RATE as rate } from '/work/main/src/audio/features/window-features.js';
const tone = (s: number, f: number, l = 0.3) => Float32Array.from({ length: Math.round(s * rate) }, (_, i) => l * Math.sin((2 * Math.PI * f * i) / rate));
const syl = tone(1, 300).map((v, i) => (Math.floor((i / rate) * 8) % 2 === 0 ? v : 0));
const bed = tone(1, 660, 0.03);
const ob = syl.map((v, i) => v + bed[i]);
for (const x of [syl, ob]) { const v = extractWindowFeatures(x, { windows: 1, clip: 1 }); console.log(v[FEATURE_NAMES.indexOf('rmsDb.quiet')], v[FEATURE_NAMES.indexOf('rmsDb.quietBelowMean')], v[FEATURE_NAMES.indexOf('rmsDb.mean')]); }
