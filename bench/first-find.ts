/**
 * How fast the mixed strategy finds the first clip of a target, and how fast it then finds most of them, with no
 * example and with one example (hark label --example): for tone, music and host, several seeds, a budget of 200.
 * Prints one JSON object. Usage: node --import tsx bench/first-find.ts [corpus-dir] [seeds] [targets]
 * Defaults: ../shared/corpus/dev, 10 seeds, tone,music,host. On a corpus hark has never seen:
 *   node --import tsx bench/unseen-corpus.ts OUT && node --import tsx bench/first-find.ts OUT
 * The corpus is for measuring, not for tuning: nothing in hark is fitted to these numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/domain/seeded-random.js';
import { simulationCorpus } from './_simulation-corpus.js';
import { LearningSession } from '../src/ml/learning-session.js';
import { answersToReach, labelsToFirst, pickExamples, simulateLabeling, type SimulationTrace } from '../src/ml/simulation.js';
import { parseStrategy } from '../src/ml/strategies.js';

const corpus = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/dev'));
const SEEDS = Number(process.argv[3] ?? 10);
const TARGETS = (process.argv[4] ?? 'tone,music,host').split(',');
const EXAMPLES = (process.env.FIRST_FIND_EXAMPLES ?? '0,1').split(',').map(Number);
const BUDGET = 200;
const CHECKPOINTS = [50, 100, 200];

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number | null, digits = 1) => (x === null ? null : Number(x.toFixed(digits)));

/** A figure over seeds that may not be reached within the budget: the median of those reached, and how many were. */
function reachedSummary(values: (number | undefined)[]) {
  const reached = values.filter((n): n is number => n !== undefined);
  return { median: median(reached), per_seed: values.map((n) => n ?? null), reached: `${reached.length}/${values.length}` };
}

function summarize(traces: SimulationTrace[]) {
  return {
    labels_to_first: reachedSummary(traces.map(labelsToFirst)),
    labels_to_90: reachedSummary(traces.map((t) => answersToReach(t, 0.9))),
    found_at: Object.fromEntries(CHECKPOINTS.map((n) => [n, round(mean(traces.map((t) => t.found[Math.min(n, t.found.length) - 1] ?? 0)))])),
    recall_at_200: round(mean(traces.map((t) => t.recall[t.recall.length - 1] ?? 0)), 3),
  };
}

const storeDir = mkdtempSync(join(tmpdir(), 'hark-bench-ff-'));
try {
  const { collection, grid, vectors, dims, truth, extractionSeconds } = await simulationCorpus(corpus, storeDir);
  const targets: Record<string, unknown> = {};
  const simStarted = performance.now();
  for (const target of TARGETS.filter((t) => truth.labels.includes(t))) {
    const positives = truth.main.filter((l) => truth.labels[l] === target).length;
    const byExamples: Record<string, unknown> = {};
    for (const exampleCount of EXAMPLES) {
      const traces = Array.from({ length: SEEDS }, (_, i) => {
        const rand = seededRandom(i + 1);
        const session = new LearningSession({ offsets: grid.offsets, clip: grid.clip, strategy: parseStrategy('mixed'), target, rand });
        session.attachVectors(vectors, dims);
        session.buildStep();
        return simulateLabeling({ session, truth, target, budget: BUDGET, examples: pickExamples(truth, target, exampleCount, rand), estimates: false });
      });
      byExamples[exampleCount] = summarize(traces);
    }
    targets[target] = { positives, prevalence: round(positives / grid.count, 4), examples: byExamples };
  }
  collection.store.close();
  const result = {
    bench: 'first-find',
    corpus,
    windows: grid.count,
    strategy: 'mixed',
    budget: BUDGET,
    seeds: SEEDS,
    setup_seconds: round(extractionSeconds),
    simulation_seconds: round((performance.now() - simStarted) / 1000),
    targets,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(storeDir, { recursive: true, force: true });
}
