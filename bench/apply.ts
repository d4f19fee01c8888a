/**
 * hark apply on a labeled corpus (default: the shared dev corpus), one JSON line on stdout:
 * - window- and event-level precision/recall per label of apply at its defaults, and of the HiPSTAS-style pipeline on
 *   the same model, after LABELS oracle answers (hark simulate) with the mixed strategy hunting each of TARGETS, and
 *   with uniformly random clips; beside them, apply's own estimate of its window-level recall and precision, made
 *   from the random labels without the truth;
 * - the window- and event-level precision and recall of each hunted label over BENCH_SEEDS seeds as well, mixed and
 *   random (one seed's labels can be lucky or not), with their means, and the number of ranges beside the number of
 *   truth events, for each of apply's smoothing methods (--smoothing);
 * - apply's speed in x real time with a cold and a warm feature cache, and its peak RSS, each in a fresh process.
 * Usage: [BENCH_SEED=n] [BENCH_SEEDS=n] node --import tsx bench/apply.ts [corpus-dir] [labels]
 * Measures, never tunes: the defaults are fixed in src/ml/ranges.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runApply } from '../src/commands/apply.js';
import { type ApplySummary } from '../src/store/apply-output.js';
import { runEvaluate, type EvaluateReport } from '../src/commands/evaluate.js';
import { runSimulate } from '../src/commands/simulate.js';
import type { LabelEvaluation, Scores } from '../src/ml/evaluate.js';
import { DEFAULT_SMOOTHING, SMOOTHING_NAMES, type SmoothingName } from '../src/ml/smoothing-methods.js';
import type { Interval } from '../src/ml/recall-estimate.js';
import { parseTruthCsv } from '../src/ml/truth.js';
import { featureCacheDir } from '../src/store/feature-cache.js';
import { LabelStore } from '../src/store/label-store.js';
import { benchCorpus } from './corpus.js';
import { run, storeWithFeatures } from './_run-command.js';

const SEED = Number(process.env.BENCH_SEED ?? 1);
const SEEDS = Number(process.env.BENCH_SEEDS ?? 8);
const TARGETS = ['tone', 'host', 'music'];

/** In a child process: one apply run, timed, with the process's peak RSS. */
async function applyOnce(store: string): Promise<void> {
  const started = performance.now();
  await run('apply', (io) => runApply({ store, format: 'csv' }, io));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

async function timedApply(store: string): Promise<{ seconds: number; peakRssMB: number }> {
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', self, '--apply-once', store]);
  return JSON.parse(stdout) as { seconds: number; peakRssMB: number };
}

interface Condition {
  name: string;
  strategy: string;
  target: string;
}

async function main(): Promise<void> {
  const corpus = resolve(process.argv[2] ?? benchCorpus('dev'));
  const labels = Number(process.argv[3] ?? 200);
  const truth = join(corpus, 'truth.csv');
  const truthLabels = [...new Set(parseTruthCsv(readFileSync(truth, 'utf8')).map((r) => r.label))];
  const work = mkdtempSync(join(tmpdir(), 'hark-bench-apply-'));
  try {
    const conditions: Condition[] = [
      ...TARGETS.filter((t) => truthLabels.includes(t)).map((target) => ({ name: `mixed:${target}`, strategy: 'mixed', target })),
      { name: 'random', strategy: 'random', target: truthLabels[0] },
    ];
    let features: string | undefined;
    let hours = 0;
    const storeOf = (c: Condition, seed: number) => join(work, `${c.name.replace(':', '-')}-${seed}`);
    /** simulate one condition in a store of its own, then apply and evaluate it with each smoothing method */
    const runCondition = async (c: Condition, seed: number) => {
      const store = storeWithFeatures(storeOf(c, seed), features);
      features ??= featureCacheDir(store);
      await run('simulate', (io) => runSimulate({ media: corpus, truth, target: c.target, budget: labels, strategy: c.strategy, seed, store }, io));
      const byMethod = new Map<SmoothingName, EvaluateReport>();
      let summary: ApplySummary | undefined;
      for (const smoothing of SMOOTHING_NAMES) {
        const out = join(store, `apply-${smoothing}`);
        const applied = JSON.parse(await run('apply', (io) => runApply({ store, out, smoothing, format: 'csv', json: true }, io))) as ApplySummary;
        if (smoothing === DEFAULT_SMOOTHING) summary = applied;
        byMethod.set(smoothing, JSON.parse(await run('evaluate', (io) => runEvaluate({ store, truth, from: out, json: true }, io))) as EvaluateReport);
      }
      hours = summary!.hours;
      return { store, summary: summary!, evaluation: byMethod.get(DEFAULT_SMOOTHING)!, byMethod };
    };
    const quality: Record<string, unknown> = {};
    const evaluated = new Map<string, Map<SmoothingName, EvaluateReport>>();
    for (const c of conditions) {
      const { store, summary, evaluation, byMethod } = await runCondition(c, SEED);
      evaluated.set(c.name, byMethod);
      const scoresOf = (results: Record<string, LabelEvaluation>, label: string) =>
        results[label] ? { window: pick(results[label].window), event: pick(results[label].event) } : null;
      const records = new Map<string, number>();
      for (const l of (await recordsOf(store)).filter((r) => r.kind === 'label')) records.set(l.label, (records.get(l.label) ?? 0) + 1);
      quality[c.name] = {
        strategy: c.strategy,
        target: c.strategy === 'random' ? null : c.target,
        labeled: Object.fromEntries(records),
        perLabel: Object.fromEntries(
          truthLabels.map((l) => [
            l,
            {
              apply: scoresOf(evaluation.labels, l),
              ...Object.fromEntries(SMOOTHING_NAMES.filter((m) => m !== DEFAULT_SMOOTHING).map((m) => [`apply:${m}`, scoresOf(byMethod.get(m)!.labels, l)])),
              hipstas: scoresOf(evaluation.hipstas, l),
              hoursFound: summary.labels[l]?.hours ?? 0,
              // apply's own estimate from the random sample, to set beside what the truth says of `apply.window`
              estimate: summary.labels[l] ? { recall: interval(summary.labels[l].estimate.recall), precision: interval(summary.labels[l].estimate.precision) } : null,
            },
          ]),
        ),
      };
    }

    const seeds = Array.from({ length: SEEDS }, (_, i) => SEED + i);
    type SeedRun = { seed: number; precision: number | null; recall: number | null; eventPrecision: number | null; eventRecall: number | null; ranges: number; events: number };
    const runs = new Map<string, SeedRun[]>();
    for (const c of conditions) {
      for (const seed of seeds) {
        const byMethod = seed === SEED ? evaluated.get(c.name)! : (await runCondition(c, seed)).byMethod;
        for (const [method, evaluation] of byMethod) {
          const hunted = c.strategy === 'random' ? TARGETS.filter((t) => evaluation.labels[t]) : [c.target];
          for (const label of hunted) {
            const { window, event } = evaluation.labels[label];
            const name = `${c.strategy === 'random' ? `random:${label}` : c.name}${method === DEFAULT_SMOOTHING ? '' : `:${method}`}`;
            const seedRun = {
              seed,
              precision: round(window.precision),
              recall: round(window.recall),
              eventPrecision: round(event.precision),
              eventRecall: round(event.recall),
              ranges: event.ranges,
              events: event.events,
            };
            runs.set(name, [...(runs.get(name) ?? []), seedRun]);
          }
        }
      }
    }
    const mean = (values: (number | null)[]) => round(values.reduce<number>((sum, v) => sum + (v ?? 0), 0) / values.length);
    const overSeeds = Object.fromEntries(
      [...runs].map(([name, r]) => [
        name,
        {
          precision: mean(r.map((x) => x.precision)),
          recall: mean(r.map((x) => x.recall)),
          eventPrecision: mean(r.map((x) => x.eventPrecision)),
          eventRecall: mean(r.map((x) => x.eventRecall)),
          runs: r,
        },
      ]),
    );

    // the first condition's labels in a store with an empty feature cache: cold, then the same store warm
    const cold = join(work, 'cold');
    const s = await LabelStore.open(cold);
    await s.setConfig({ mediaRoot: corpus });
    await s.addMany([...(await recordsOf(storeOf(conditions[0], SEED)))]);
    s.close();
    const coldRun = await timedApply(cold);
    const warmRun = await timedApply(cold);
    const realTime = (seconds: number) => round((hours * 3600) / seconds, 1);
    const report = {
      bench: 'apply',
      corpus,
      hours,
      labels,
      seed: SEED,
      seeds,
      defaults: (JSON.parse(readFileSync(join(cold, 'apply', 'summary.json'), 'utf8')) as ApplySummary).options,
      quality,
      overSeeds,
      speed: {
        cold: { seconds: round(coldRun.seconds), realTime: realTime(coldRun.seconds), peakRssMB: coldRun.peakRssMB },
        warm: { seconds: round(warmRun.seconds), realTime: realTime(warmRun.seconds), peakRssMB: warmRun.peakRssMB },
      },
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function recordsOf(dir: string) {
  const store = await LabelStore.open(dir, { readOnly: true });
  store.close();
  return store.records;
}

/** Scores read back from JSON, where an undefined score (NaN) is null. */
const pick = (s: Scores) => ({ precision: round(s.precision), recall: round(s.recall), f1: round(s.f1) });
const interval = (i: Interval | null) => (i ? { value: round(i.value), low: round(i.low), high: round(i.high) } : null);
const round = (v: number | null, digits = 3) => (v === null || Number.isNaN(v) ? null : Number(v.toFixed(digits)));

if (process.argv[2] === '--apply-once') await applyOnce(process.argv[3]);
else await main();
