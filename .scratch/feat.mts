// prototype: extra window features appended to the cached vectors; PR of the raw and smoothed kNN on a fixed label set
import { openCollection } from '/work/main/src/commands/collection.js';
import { collectionVectors } from '/work/main/src/audio/features/collection-vectors.js';
import { decodeFile } from '/work/main/src/audio/decode.js';
import { createFrameAnalyzer } from '/work/main/src/audio/features/frame-context.js';
import { featureCacheDir } from '/work/main/src/store/feature-cache.js';
import { NeighborIndex } from '/work/main/src/ml/neighbor-index.js';
import { targetProbabilities } from '/work/main/src/ml/knn-votes.js';
import { featureStats, zScore } from '/work/main/src/ml/z-score.js';
import { quantize, QUANTUM } from '/work/main/src/ml/quantize.js';
import { readFileSync } from 'node:fs';
const [store, label, mode] = process.argv.slice(2);
const c = await openCollection({ store, readOnly: true } as any);
const { grid, files } = c;
const { vectors, dims } = await collectionVectors(files, grid, { cacheDir: featureCacheDir(c.store.dir) });
const EXTRA = mode === 'none' ? 0 : mode === 'extra' ? 2 : mode === 'floor' ? 2 : 4;
const extra = new Float32Array(grid.count * Math.max(EXTRA, 1));
if (EXTRA) {
  const SR = 16000, N = 512, HOP = 256, bins = N / 2;
  const an = createFrameAnalyzer(N, SR);
  for (let f = 0; f < files.length; f++) {
    const s = await decodeFile(files[f].abs, SR);
    for (let w = grid.offsets[f]; w < grid.offsets[f + 1]; w++) {
      const a = Math.round(grid.startOf(w) * SR), b = Math.min(s.length, Math.round((grid.startOf(w) + grid.durationOf(w)) * SR));
      const mean = new Float64Array(bins); const prev = new Float64Array(bins); let corr = 0, nc = 0, frames = 0; const db: number[] = [];
      for (let o = a; o + N <= b; o += HOP) {
        an.analyze(s, o); const ps = an.context.ampSpectrum; let e = 0; for (let i = 0; i < N; i++) e += an.context.signal[i] ** 2; db.push(10 * Math.log10(e / N + 1e-10));
        for (let k = 0; k < bins; k++) mean[k] += ps[k];
        if (frames > 0) { let xy = 0, xx = 0, yy = 0; for (let k = 0; k < bins; k++) { xy += ps[k] * prev[k]; xx += ps[k] ** 2; yy += prev[k] ** 2; } if (xx > 0 && yy > 0) { corr += xy / Math.sqrt(xx * yy); nc++; } }
        prev.set(ps); frames++;
      }
      // flatness of the long-term spectrum
      let logSum = 0, sum = 0; for (let k = 1; k < bins; k++) { logSum += Math.log(mean[k] + 1e-12); sum += mean[k]; }
      const flat = sum > 0 ? Math.exp(logSum / (bins - 1)) * (bins - 1) / sum : 0;
      db.sort((x, y) => x - y); const floor = db.length ? db[Math.floor(db.length * 0.1)] : -100; const md = db.length ? db.reduce((x, y) => x + y, 0) / db.length : -100;
      const vals = mode === 'extra' ? [Math.log(flat + 1e-9), nc ? corr / nc : 0] : mode === 'floor' ? [floor, floor - md] : [Math.log(flat + 1e-9), nc ? corr / nc : 0, floor, floor - md];
      vals.forEach((v, i) => (extra[w * EXTRA + i] = v));
    }
  }
  zScore(extra, EXTRA, featureStats(extra, EXTRA), extra);
}
const D = dims + EXTRA;
const all = new Float32Array(grid.count * D);
for (let w = 0; w < grid.count; w++) {
  for (let d = 0; d < dims; d++) all[w * D + d] = vectors[w * dims + d] * QUANTUM;
  for (let d = 0; d < EXTRA; d++) all[w * D + dims + d] = extra[w * EXTRA + d];
}
const q = quantize(all);
const fileIndex = new Map(files.map((f, i) => [f.path, i]));
const classes = new Map<string, number>(); const classOf = new Int32Array(grid.count).fill(-1);
const index = new NeighborIndex(q, D, 10);
for (const r of c.store.records) { if (r.kind !== 'label') continue; const w = grid.windowAt(fileIndex.get(r.file)!, r.start); if (!classes.has(r.label)) classes.set(r.label, classes.size); classOf[w] = classes.get(r.label)!; index.add(w); }
const raw = targetProbabilities(index, classOf, classes.get(label)!);
const rows = readFileSync('/work/shared/corpus/dev/truth.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const truth = new Uint8Array(grid.count);
files.forEach((f, fi) => { for (let w = grid.offsets[fi]; w < grid.offsets[fi + 1]; w++) { const s0 = grid.startOf(w), e0 = s0 + grid.durationOf(w); let cov = 0; for (const r of rows) if (r[0] === f.path && r[3] === label) cov += Math.max(0, Math.min(e0, +r[2]) - Math.max(s0, +r[1])); truth[w] = cov >= (e0 - s0) / 2 ? 1 : 0; } });
const pos = truth.reduce((a, b) => a + b, 0);
const line: string[] = [];
for (const width of [1, 5]) {
  const p = new Float32Array(raw.length);
  files.forEach((f, fi) => { const a = grid.offsets[fi], b = grid.offsets[fi + 1]; for (let w = a; w < b; w++) { let sum = 0, n = 0; for (let j = Math.max(a, w - (width >> 1)); j <= Math.min(b - 1, w + (width >> 1)); j++) { sum += raw[j]; n++; } p[w] = sum / n; } });
  const order = [...p.keys()].sort((a, b) => p[b] - p[a]);
  let tp = 0; const got: Record<string, string> = {};
  for (let i = 0; i < order.length; i++) { tp += truth[order[i]]; for (const g of [0.8, 0.9]) if (!got[g] && tp >= g * pos) got[g] = (tp / (i + 1)).toFixed(3); }
  line.push(`w${width} P@R.8 ${got[0.8]} P@R.9 ${got[0.9]}`);
}
console.log(mode, label, line.join(' | '));
process.exit(0);
