/**
 * Simulated labeling on the dev corpus: for every target class, random vs mixed over several seeds.
 * Prints one JSON object. Usage: node --import tsx bench/active-learning.ts [corpus-dir] [seeds]
 * The corpus is for measuring, not for tuning: nothing in hark is fitted to these numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/domain/seeded-random.js';
import { simulationCorpus } from './_simulation-corpus.js';
import { LearningSession } from '../src/ml/learning-session.js';
import { answersToReach, simulateLabeling, type SimulationTrace } from '../src/ml/simulation.js';
import { parseStrategy } from '../src/ml/strategies.js';

const corpus = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/dev'));
const SEEDS = Number(process.argv[3] ?? 10);
const BUDGET = 400;
const CHECKPOINTS = [50, 100, 200, 400];
const RECALL_LEVELS = [0.5, 0.8, 0.9];
const STRATEGIES = ['random', 'mixed'];

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number | null, digits = 3) => (x === null ? null : Number(x.toFixed(digits)));

/** How the learner's recall estimate compared with the true recall after n labels, across seeds. */
function estimateAccuracy(traces: SimulationTrace[], n: number) {
  const withEstimate = traces.filter((t) => t.estimates[n - 1]?.recall);
  const errors = withEstimate.map((t) => t.estimates[n - 1]!.recall!.value - t.recall[n - 1]);
  const covered = withEstimate.filter((t) => {
    const { low, high } = t.estimates[n - 1]!.recall!;
    return t.recall[n - 1] >= low - 1e-9 && t.recall[n - 1] <= high + 1e-9;
  });
  const totals = traces.filter((t) => t.estimates[n - 1]?.total);
  const totalCovered = totals.filter((t) => {
    const { low, high } = t.estimates[n - 1]!.total!;
    return t.positivesTotal >= low && t.positivesTotal <= high;
  });
  return {
    true_recall: round(mean(traces.map((t) => t.recall[n - 1]))),
    estimated_recall: round(mean(withEstimate.map((t) => t.estimates[n - 1]!.recall!.value))),
    mean_error: round(mean(errors)),
    mean_abs_error: round(mean(errors.map(Math.abs))),
    interval_covers_truth: `${covered.length}/${withEstimate.length}`,
    no_estimate_yet: traces.length - withEstimate.length,
    estimated_total: round(mean(totals.map((t) => t.estimates[n - 1]!.total!.value)), 1),
    total_interval_covers_truth: `${totalCovered.length}/${totals.length}`,
    stop_hint: traces.filter((t) => t.estimates[n - 1]?.stop).length,
  };
}

function summarize(traces: SimulationTrace[]) {
  return {
    found_at: Object.fromEntries(CHECKPOINTS.map((n) => [n, round(mean(traces.map((t) => t.found[n - 1])), 1)])),
    labels_for_recall: Object.fromEntries(
      RECALL_LEVELS.map((r) => {
        const reached = traces.map((t) => answersToReach(t, r)).filter((n): n is number => n !== undefined);
        return [r * 100, { median: median(reached), reached: `${reached.length}/${traces.length}` }];
      }),
    ),
    final: {
      true_recall: round(mean(traces.map((t) => t.recall[BUDGET - 1]))),
      true_precision: round(mean(traces.map((t) => t.precision[BUDGET - 1]))),
    },
    estimate_vs_truth: Object.fromEntries([100, 200, 400].map((n) => [n, estimateAccuracy(traces, n)])),
  };
}

const storeDir = mkdtempSync(join(tmpdir(), 'hark-bench-al-'));
try {
  const { collection, grid, vectors, dims, truth, extractionSeconds } = await simulationCorpus(corpus, storeDir);
  const targets: Record<string, unknown> = {};
  const simStarted = performance.now();
  for (const target of truth.labels) {
    const positives = truth.main.filter((l) => truth.labels[l] === target).length;
    const strategies: Record<string, unknown> = {};
    for (const strategy of STRATEGIES) {
      const traces = Array.from({ length: SEEDS }, (_, i) => {
        const session = new LearningSession({ offsets: grid.offsets, clip: grid.clip, strategy: parseStrategy(strategy), target, rand: seededRandom(i + 1) });
        session.attachVectors(vectors, dims);
        session.buildStep();
        return simulateLabeling({ session, truth, target, budget: BUDGET });
      });
      strategies[strategy] = summarize(traces);
    }
    targets[target] = { positives, prevalence: round(positives / grid.count), strategies };
  }
  collection.store.close();
  const result = {
    corpus,
    windows: grid.count,
    budget: BUDGET,
    seeds: SEEDS,
    setup_seconds: round(extractionSeconds, 1),
    simulation_seconds: round((performance.now() - simStarted) / 1000, 1),
    targets,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(storeDir, { recursive: true, force: true });
}
