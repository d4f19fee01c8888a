import { openCollection } from '/work/main/src/commands/collection.js';
import { scoreCollection } from '/work/main/src/commands/collection-scores.js';
import { readFileSync } from 'node:fs';
const store = process.argv[2], label = process.argv[3];
const c = await openCollection({ store, readOnly: true } as any);
const s = await scoreCollection(c);
const raw = s.probabilities[s.labels.indexOf(label)];
const width = Number(process.argv[4] ?? 1);
const p = new Float32Array(raw.length);
c.files.forEach((f, fi) => {
  const a = c.grid.offsets[fi], b = c.grid.offsets[fi + 1];
  for (let w = a; w < b; w++) { let sum = 0, n = 0; for (let j = Math.max(a, w - (width >> 1)); j <= Math.min(b - 1, w + (width >> 1)); j++) { sum += raw[j]; n++; } p[w] = sum / n; }
});
// truth per window: label covers >= half
const rows = readFileSync('/work/shared/corpus/dev/truth.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const truth = new Uint8Array(c.grid.count);
c.files.forEach((f, fi) => {
  for (let w = c.grid.offsets[fi]; w < c.grid.offsets[fi + 1]; w++) {
    const s0 = c.grid.startOf(w), e0 = s0 + c.grid.durationOf(w);
    let cov = 0;
    for (const r of rows) if (r[0] === f.path && r[3] === label) cov += Math.max(0, Math.min(e0, +r[2]) - Math.max(s0, +r[1]));
    truth[w] = cov >= (e0 - s0) / 2 ? 1 : 0;
  }
});
const pos = truth.reduce((a, b) => a + b, 0);
const order = [...p.keys()].sort((a, b) => p[b] - p[a]);
let tp = 0;
const out: string[] = [];
for (let i = 0; i < order.length; i++) {
  tp += truth[order[i]];
  const r = tp / pos, pr = tp / (i + 1);
  for (const goal of [0.8, 0.85, 0.9, 0.95]) if (r >= goal && tp - truth[order[i]] < goal * pos) out.push(`recall ${goal}: precision ${pr.toFixed(3)} at p>=${p[order[i]].toFixed(3)}`);
}
console.log(label, 'positives', pos, '\n' + out.join('\n'));
process.exit(0);
