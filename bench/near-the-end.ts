/**
 * The labeling queue near the end of a collection (issue 17: 16,000 labels on 16,740 clips froze for 4-9 s every
 * sixth key). Synthetic vectors, the real LearningSession and a real store: how long each refill of six clips takes
 * in the learner, how many decided windows its random draws join to the sample, and how long the store takes to
 * persist those joins one markSampled at a time, as the labeler does today.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../src/domain/seeded-random.js';
import { LearningSession } from '../src/ml/learning-session.js';
import { parseStrategy } from '../src/ml/strategies.js';
import { LabelStore } from '../src/store/label-store.js';

const WINDOWS = 16_740;
const DECIDED = 16_000;
const DIMS = 49;
const FILES = 30;
const REFILLS = 10;

const offsets = Int32Array.from({ length: FILES + 1 }, (_, i) => Math.round((i * WINDOWS) / FILES));
const rand = seededRandom(1);
const vectors = Int8Array.from({ length: WINDOWS * DIMS }, () => Math.round((rand() - 0.5) * 60));
const labelOf = (w: number) => (vectors[w * DIMS] > 0 ? 'A' : 'B');
const order = [...Array(WINDOWS).keys()].sort(() => rand() - 0.5);
const hows = ['likely', 'random', 'uncertain', 'likely', 'uncertain'];

const joined: number[] = [];
const session = new LearningSession({ offsets, clip: 1, strategy: parseStrategy('mixed'), target: 'A', rand: seededRandom(2), onSampled: (w) => joined.push(w) });
for (let i = 0; i < DECIDED; i++) session.addLabel(order[i], labelOf(order[i]), 'label', hows[i % hows.length]);
let started = performance.now();
session.attachVectors(vectors, DIMS);
session.buildStep();
const buildMs = performance.now() - started;

const dir = mkdtempSync(join(tmpdir(), 'hark-bench-'));
const store = await LabelStore.open(dir);
await store.addMany(order.slice(0, DECIDED).map((w, i) => ({ file: `f${w}.wav`, start: 0, duration: 1, label: labelOf(w), kind: 'label' as const, annotator: 'b', how: hows[i % hows.length] })));
const ids = store.records.map((r) => r.id);

const refills: { learnerMs: number; joins: number; storeMs: number; remaining: number }[] = [];
for (let i = 0; i < REFILLS; i++) {
  joined.length = 0;
  started = performance.now();
  const choices = session.next(6);
  const learnerMs = performance.now() - started;
  started = performance.now();
  for (const w of joined) await store.markSampled(ids[order.indexOf(w)]);
  const storeMs = performance.now() - started;
  for (const c of choices) session.addLabel(c.window, labelOf(c.window), 'label');
  refills.push({ learnerMs: Math.round(learnerMs), joins: joined.length, storeMs: Math.round(storeMs), remaining: session.remaining });
}
store.close();
rmSync(dir, { recursive: true, force: true });
const max = (k: 'learnerMs' | 'storeMs' | 'joins') => Math.max(...refills.map((r) => r[k]));
console.log(JSON.stringify({ bench: 'near-the-end', windows: WINDOWS, decided: DECIDED, buildMs: Math.round(buildMs), maxLearnerMs: max('learnerMs'), maxJoins: max('joins'), maxStoreMs: max('storeMs'), refills }));
