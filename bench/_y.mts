import { seededRandom } from '../src/domain/seeded-random.js';
import { LearningSession } from '../src/ml/learning-session.js';
import { parseStrategy } from '../src/ml/strategies.js';
import { openCorpusWithTruth } from './_corpus-truth.js';
for (const corpus of ['/work/shared/corpus/dev', process.argv[2]].filter(Boolean)) {
const { grid, vectors, dims, truth, close } = await openCorpusWithTruth(corpus, '/tmp/ycache-' + corpus.replace(/\W/g, ''));
const windows = grid.count;
const rand = seededRandom(1);
const session = new LearningSession({ offsets: grid.offsets, clip: grid.clip, strategy: parseStrategy('mixed'), target: 'host', rand });
session.attachVectors(vectors, dims);
const answer = (w: number) => { const l = truth.main[w]; session.addLabel(w, l >= 0 ? truth.labels[l] : '', l >= 0 ? 'label' : 'skip'); if (session.relearnIfDue()) while (!session.buildStep()); while (!session.buildStep()); };
for (let i = 0; i < 200; i++) { const [c] = session.next(1); answer(c.window); }
const index = (session as any).model.index;
const k = index.k;
for (const P of [1, 4]) {
const pivots = Array.from({ length: P }, () => Math.floor(rand() * windows));
const pd = pivots.map((p) => Float32Array.from({ length: windows }, (_, w) => Math.sqrt(index.distance(w, p))));
let need = 0, pruned = 0, n = 0, own1 = 0, ownk = 0;
for (let t = 0; t < 10; t++) {
  const q = Math.floor(rand() * windows);
  const dq = pivots.map((p) => Math.sqrt(index.distance(q, p)));
  for (let w = 0; w < windows; w++) {
    const far = index.distances[w * k + k - 1]; n++;
    if (index.distance(w, q) < far) need++;
    let lb = 0; for (let i = 0; i < P; i++) lb = Math.max(lb, Math.abs(pd[i][w] - dq[i]));
    if (lb * lb >= far) pruned++;
    const m = index.neighbors[w * k];
    if (m >= 0) { const l1 = Math.sqrt(index.distance(q, m)) - Math.sqrt(index.distances[w * k]); if (l1 > 0 && l1 * l1 >= far) own1++; }
    let lk = 0; for (let j = 0; j < k; j++) { const mj = index.neighbors[w * k + j]; if (mj < 0) break; lk = Math.max(lk, Math.sqrt(index.distance(q, mj)) - Math.sqrt(index.distances[w * k + j])); }
    if (lk * lk >= far) ownk++;
  }
}
console.log({ corpus, windows, P, extraDims: index.extra?.dims, need: need / n, pruned: pruned / n, own1: own1 / n, ownk: ownk / n });
}
close();
}
