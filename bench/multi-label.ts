/**
 * What labeling every sound present gives apply, against labeling only the one that dominates each clip: for each of
 * TARGETS on a corpus (default: the shared dev corpus, where music runs under the host), BENCH_SEEDS seeds of
 * `hark simulate` (mixed strategy, LABELS answers) with `--oracle dominant` and `--oracle present`, then `hark apply`
 * and `hark evaluate` for the target: apply's window precision and recall (a window is the label when its truth rows
 * cover half of it), event precision and recall, and how many of the oracle's answers carried more than one label.
 * One JSON object on stdout. Usage: [BENCH_SEED=n] [BENCH_SEEDS=n] [BENCH_TARGETS=music,host] [BENCH_ORACLES=present] node --import tsx bench/multi-label.ts [corpus-dir] [labels]
 * Measures, never tunes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runApply } from '../src/commands/apply.js';
import { runEvaluate, type EvaluateReport } from '../src/commands/evaluate.js';
import { runSimulate, type SimulateReport } from '../src/commands/simulate.js';
import { ORACLES } from '../src/ml/window-truth.js';
import { featureCacheDir } from '../src/store/feature-cache.js';
import { readStore } from '../src/store/label-store.js';
import { benchCorpus } from './corpus.js';
import { run, storeWithFeatures } from './_run-command.js';

const SEED = Number(process.env.BENCH_SEED ?? 1);
const SEEDS = Number(process.env.BENCH_SEEDS ?? 3);
const TARGETS = (process.env.BENCH_TARGETS ?? 'music,host').split(',');
/** both by default; one alone when comparing a change that touches only one (a model change only multi-label answers reach) */
const ORACLE_NAMES = process.env.BENCH_ORACLES ? (process.env.BENCH_ORACLES.split(',') as typeof ORACLES[number][]) : ORACLES;

const round = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(3)) : null);
const mean = (xs: (number | null)[]) => round(xs.reduce<number>((s, x) => s + (x ?? 0), 0) / xs.length);

async function main(): Promise<void> {
  const corpus = resolve(process.argv[2] ?? benchCorpus('dev'));
  const labels = Number(process.argv[3] ?? 200);
  const truth = join(corpus, 'truth.csv');
  const work = mkdtempSync(join(tmpdir(), 'hark-bench-multi-label-'));
  const started = performance.now();
  try {
    let features: string | undefined;
    const results: Record<string, Record<string, unknown>> = {};
    for (const target of TARGETS) {
      results[target] = {};
      for (const oracle of ORACLE_NAMES) {
        const runs = [];
        for (let seed = SEED; seed < SEED + SEEDS; seed++) {
          const store = storeWithFeatures(join(work, `${target}-${oracle}-${seed}`), features);
          features ??= featureCacheDir(store);
          const simulated = JSON.parse(
            await run('simulate', (io) => runSimulate({ media: corpus, truth, target, budget: labels, strategy: 'mixed', seed, store, oracle, json: true }, io)),
          ) as SimulateReport;
          await run('apply', (io) => runApply({ store, label: [target], format: 'csv', json: true }, io));
          const evaluation = JSON.parse(await run('evaluate', (io) => runEvaluate({ store, truth, label: [target], json: true }, io))) as EvaluateReport;
          const { window, event } = evaluation.labels[target];
          const records = readStore(store).records.filter((r) => r.kind === 'label');
          runs.push({
            seed,
            precision: round(window.precision),
            recall: round(window.recall),
            eventPrecision: round(event.precision),
            eventRecall: round(event.recall),
            targetClipsLabeled: simulated.found_at[String(labels)],
            multiLabelAnswers: records.filter((r) => r.labels).length,
          });
        }
        results[target][oracle] = {
          precision: mean(runs.map((r) => r.precision)),
          recall: mean(runs.map((r) => r.recall)),
          eventPrecision: mean(runs.map((r) => r.eventPrecision)),
          eventRecall: mean(runs.map((r) => r.eventRecall)),
          runs,
        };
      }
    }
    const report = { bench: 'multi-label', corpus, labels, strategy: 'mixed', seeds: SEEDS, seconds: round((performance.now() - started) / 1000), targets: results };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
