import { Command, Option } from '@commander-js/extra-typings';
import { seededRandom } from '../domain/seeded-random.js';
import { collectionVectors } from '../audio/features/collection-vectors.js';
import { LearningSession } from '../ml/learning-session.js';
import { fittedEstimate, heldApart } from '../ml/model.js';
import { DEFAULT_RECALL_GOAL, type Interval, type RecallEstimate } from '../ml/recall-estimate.js';
import { answersToReach, labelsToFirst, pickExamples, simulateLabeling, type SimulationTrace } from '../ml/simulation.js';
import { parseStrategy } from '../ml/strategies.js';
import { DEFAULT_PRESENT_SHARE, ORACLES, windowTruth, type OracleName } from '../ml/window-truth.js';
import { labelSet } from '../ml/label-sets.js';
import { featureCacheDir } from '../store/feature-cache.js';
import type { NewRecord } from '../store/label-store.js';
import { EXAMPLE_HOW, labelFields, requireLabel, SKIPPED } from '../domain/labels.js';
import { openCollection, type Collection } from '../collection/open-collection.js';
import { matchTruthFiles } from './evaluate.js';
import { extractProgress, FEATURES_KEPT } from './extract-progress.js';
import { UserError } from '../domain/user-error.js';
import type { CommandDefinition } from './command-io.js';
import { integer, positiveInteger, share, STORE_HELP } from './option-values.js';
import { readRanges } from '../store/apply-output.js';

export interface SimulateOptions {
  media: string;
  /** a file,start,end,label CSV */
  truth: string;
  target: string;
  budget: number;
  strategy?: string;
  seed?: number;
  store?: string;
  json?: boolean;
  workers?: number;
  recallGoal?: number;
  /** how the oracle answers: the dominant label (default) or every label present */
  oracle?: OracleName;
  /** for --oracle present: the share of a clip a label must cover */
  presentShare?: number;
  /** target clips from the truth given as examples before the first answer, chosen with the seeded random */
  examples?: number;
}

export type SimulateIO = { out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean } };

/** found_at checkpoints; the budget itself is always one. */
const CHECKPOINTS = [50, 100, 200, 400];
const RECALL_LEVELS = [0.5, 0.8, 0.9];

export interface SimulateReport {
  target: string;
  strategy: string;
  seed: number;
  budget: number;
  /** answers given (fewer than the budget only if the learner ran out of clips) */
  labels: number;
  windows: number;
  /** how the oracle answered: `dominant` (the label covering most of a clip) or `present` (every label covering presentShare) */
  oracle: OracleName;
  /** windows the oracle calls the target: its dominant label, or (present) one of its labels */
  positives_total: number;
  /** target windows labeled after n answers, for each checkpoint n <= budget */
  found_at: Record<string, number>;
  /** the learner's recall estimate at the end (share of targets labeled or flagged); null while too few random labels */
  estimate: Interval | null;
  /** the learner's estimate of the number of target windows */
  estimate_total: Interval | null;
  /** the true share of target windows labeled or flagged by the model at the end */
  true_recall: number;
  /** the true share of labeled-or-flagged windows that are the target, at the end */
  true_precision: number;
  /** target clips given as examples before the first answer (--examples) */
  examples: number;
  /** answers until the first target clip was labeled, examples not counted (null: none within the budget) */
  labels_to_first: number | null;
  /** answers after which the true recall stayed at or above 50/80/90% (null: it ended below) */
  labels_for_recall: Record<string, number | null>;
  /** whether the learner would have told the user to stop */
  stop: boolean;
}

export const simulateCommand: CommandDefinition = (context) =>
  new Command('simulate')
    .description('replay labeling with an oracle answering from a ground truth, to see how many labels a collection needs')
    .argument('<media-dir>', 'folder of recordings')
    .requiredOption('--truth <csv>', 'ground truth: file,start,end,label')
    .requiredOption('--target <label>', 'the label to hunt for')
    .requiredOption('--budget <n>', 'how many labels the oracle gives', positiveInteger)
    .option('--strategy <s>', "random, likely, uncertain, mixed (default) or shares like 'likely:0.5,random:0.4,uncertain:0.1'")
    .option('--seed <n>', 'random seed', integer)
    .option('--examples <n>', 'give the oracle\'s first N target clips as examples before it labels (chosen at random from the truth), as hark label --example does', integer)
    .option('--store <dir>', STORE_HELP)
    .option('--workers <n>', 'feature-extraction threads', positiveInteger)
    .addOption(new Option('--oracle <how>', 'dominant: the oracle answers with the label covering most of a clip; present: with every label covering --present-share of it').choices(ORACLES).default('dominant' as const))
    .option('--present-share <share>', `for --oracle present: the share of a clip a label must cover (default ${DEFAULT_PRESENT_SHARE})`, share)
    .option('--json', 'print one JSON object')
    .action(async (media, opts) => context.finish(await runSimulate({ ...opts, media }, context.io, context.interruptible(FEATURES_KEPT))));

/**
 * `hark simulate`: the labeling loop with an oracle that answers from a truth table, to measure a strategy.
 * The oracle's answers go into the store (annotator 'oracle'), so apply and evaluate can follow.
 */
export async function runSimulate(opts: SimulateOptions, io: SimulateIO, signal?: AbortSignal): Promise<number> {
  let collection: Collection | undefined;
  try {
    if (!(Number.isInteger(opts.budget) && opts.budget > 0)) throw new UserError(`--budget must be a positive whole number, not ${opts.budget}.`);
    if (opts.presentShare !== undefined && opts.oracle !== 'present') throw new UserError('--present-share is for --oracle present.');
    if (!(Number.isInteger(opts.examples ?? 0) && (opts.examples ?? 0) >= 0)) throw new UserError(`--examples must be a whole number of at least 0, not ${opts.examples}.`);
    const strategy = parseStrategy(opts.strategy);
    const seed = opts.seed ?? 1;
    const truthRows = readRanges(opts.truth, 'the truth table');
    collection = await openCollection({ media: opts.media, store: opts.store });
    const { store, files, grid } = collection;
    if (store.records.length > 0) {
      throw new UserError(`The store ${store.dir} already has ${store.records.length} decision(s); simulate adds an oracle's labels, so give it an empty store with --store <new folder>.`);
    }
    const truth = windowTruth(matchTruthFiles(truthRows, files, io.err), files, grid);
    opts = { ...opts, target: requireLabel(truth.labels, opts.target, '--target', "the truth's labels for these recordings") };
    const { vectors, dims, failed } = await collectionVectors(files, grid, {
      cacheDir: featureCacheDir(store.dir),
      workers: opts.workers,
      onProgress: extractProgress(io.err),
      signal,
    });
    for (const [f, reason] of failed) io.err.write(`No features for ${files[f].path}: ${reason}\n`);
    const sampled = new Set<number>();
    const rand = seededRandom(seed);
    const session = new LearningSession({
      offsets: grid.offsets,
      clip: grid.clip,
      strategy,
      target: opts.target,
      rand,
      onSampled: (w) => sampled.add(w),
    });
    session.attachVectors(vectors, dims);
    session.buildStep();
    const oracle = { name: opts.oracle ?? 'dominant', presentShare: opts.presentShare ?? DEFAULT_PRESENT_SHARE };
    const examples = pickExamples(truth, opts.target, opts.examples ?? 0, rand);
    const trace = simulateLabeling({ session, truth, target: opts.target, budget: opts.budget, recallGoal: opts.recallGoal, oracle, examples });
    // the estimate a run ends with is the one hark stats gives: the model fitted to every label
    const labeled = [
      ...examples.map((window) => ({ window, label: opts.target, random: false })),
      ...trace.answers.flatMap(({ choice, label, labels }) =>
        label === undefined
          ? []
          : [{ window: choice.window, label: labelSet(labels ?? [label]), random: choice.how === 'random' || sampled.has(choice.window), drawProbability: choice.drawProbability, weighted: choice.weighted }],
      ),
    ];
    const final = fittedEstimate(vectors, dims, labeled, opts.target, heldApart(grid.offsets, grid.clip), opts.recallGoal ?? DEFAULT_RECALL_GOAL);
    await store.setConfig({ target: opts.target });
    await store.addMany([...exampleRecords(collection, examples, opts.target), ...oracleRecords(collection, trace, sampled)]);
    const report = simulationReport(trace, final, { target: opts.target, strategy: strategy.name, seed, budget: opts.budget, windows: grid.count, oracle: oracle.name, examples: examples.length });
    io.out.write(opts.json ? `${JSON.stringify(report)}\n` : formatSimulation(report));
    return 0;
  } finally {
    collection?.store.close();
  }
}

/** The examples as hark label --example stores a moment: the target, how 'example'. */
function exampleRecords({ files, grid }: Collection, windows: readonly number[], target: string): NewRecord[] {
  return windows.map((w) => ({
    file: files[grid.fileOf(w)].path,
    start: grid.startOf(w),
    duration: grid.durationOf(w),
    label: target,
    kind: 'label',
    annotator: 'oracle',
    how: EXAMPLE_HOW,
  }));
}

/** `sampled`: windows whose answers joined the random sample after another arm had them labeled */
function oracleRecords({ files, grid }: Collection, trace: SimulationTrace, sampled: ReadonlySet<number>): NewRecord[] {
  return trace.answers.map(({ choice, label, labels }) => ({
    file: files[grid.fileOf(choice.window)].path,
    start: grid.startOf(choice.window),
    duration: grid.durationOf(choice.window),
    ...labelFields(labels ?? [label ?? SKIPPED]),
    kind: label === undefined ? 'skip' : 'label',
    annotator: 'oracle',
    how: choice.how,
    strategy: choice.strategy,
    score: choice.score,
    modelVersion: choice.modelVersion,
    drawProbability: choice.drawProbability,
    ...(choice.weighted && { weighted: true }),
    ...(sampled.has(choice.window) && { sampled: true }),
  }));
}

function simulationReport(
  trace: SimulationTrace,
  last: RecallEstimate | undefined,
  run: Pick<SimulateReport, 'target' | 'strategy' | 'seed' | 'budget' | 'windows' | 'oracle' | 'examples'>,
): SimulateReport {
  const labels = trace.answers.length;
  const foundAt: Record<string, number> = {};
  for (const n of [...CHECKPOINTS.filter((c) => c < run.budget), run.budget]) foundAt[n] = trace.found[Math.min(n, labels) - 1] ?? 0;
  return {
    ...run,
    labels,
    positives_total: trace.positivesTotal,
    found_at: foundAt,
    estimate: last?.recall ?? null,
    estimate_total: last?.total ?? null,
    true_recall: trace.recall[labels - 1] ?? 0,
    true_precision: trace.precision[labels - 1] ?? 0,
    labels_to_first: labelsToFirst(trace) ?? null,
    labels_for_recall: Object.fromEntries(RECALL_LEVELS.map((r) => [String(r * 100), answersToReach(trace, r) ?? null])),
    stop: last?.stop ?? false,
  };
}

function formatSimulation(r: SimulateReport): string {
  const interval = (i: Interval | null, digits: number, scale = 1, unit = '') => {
    const show = (v: number) => `${(v * scale).toFixed(digits)}${unit}`;
    return i ? `${show(i.value)} (95%: ${show(i.low)}–${show(i.high)})` : 'not enough random labels yet';
  };
  const held = Object.entries(r.labels_for_recall).map(([p, n]) => (n ? `${p}% from label ${n} on` : `${p}% not by the end`));
  return [
    `Simulated ${r.labels} labels with strategy ${r.strategy} (seed ${r.seed}), hunting "${r.target}" in ${r.windows} clips${r.oracle === 'present' ? ', the oracle giving every label present' : ''}.`,
    `Target clips: ${r.positives_total}${r.examples ? ` (${r.examples} given as examples)` : ''}; labeled: ${Object.entries(r.found_at).map(([n, f]) => `${f} after ${n}`).join(', ')}; the first after ${r.labels_to_first ?? 'none'}.`,
    `True recall (labeled or flagged by the model): ${(100 * r.true_recall).toFixed(1)}%, precision ${(100 * r.true_precision).toFixed(1)}%.`,
    `Recall held ${held.join(', ')}.`,
    `Estimated recall: ${interval(r.estimate, 1, 100, '%')}; estimated target clips: ${interval(r.estimate_total, 0)}.`,
    ...(r.stop ? ['The learner would suggest stopping here: the recall goal looks met.'] : []),
  ]
    .map((line) => `${line}\n`)
    .join('');
}
