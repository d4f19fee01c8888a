import type { Interval } from './interval.js';
import { wilson } from './wilson.js';
import { weightedEstimate } from './weighted-estimate.js';

export type { Interval } from './interval.js';
export { wilson } from './wilson.js';

/** What the random arm's labels say; only uniform random draws are an unbiased sample of the collection. */
export interface RandomSample {
  /** windows in the collection: the population the random arm draws from */
  population: number;
  /** random-arm clips that got a label (not skipped, not unsure) */
  labeled: number;
  /** of those, the target */
  positives: number;
  /** of the random positives, those the model flags without their own label (leave-one-out) */
  positivesFlagged: number;
  /** random-labeled clips the model flags without their own label */
  flagged: number;
  /** false before there is a model: then nothing is known of its recall or precision */
  modelled: boolean;
}

export interface RecallInput extends RandomSample {
  /** windows labeled as the target by any arm */
  found: number;
  /** share of the target windows the user wants to find, e.g. 0.9 */
  goal: number;
}

export interface RecallEstimate {
  /** false until the random sample reaches minRandomLabels: the figures below are then absent */
  enough: boolean;
  randomLabels: number;
  minRandomLabels: number;
  found: number;
  goal: number;
  /** target windows in the whole collection */
  total?: Interval;
  /** share of them already labeled: found / total */
  labeledShare?: Interval;
  /** share of target windows the model flags at its threshold; absent while the sample holds no target */
  recall?: Interval;
  /** share of flagged windows that are the target; absent while no random clip is flagged */
  precision?: Interval;
  /** true when the recall goal looks met: time to stop labeling and apply the model */
  stop: boolean;
}

/** Share of the target the user wants found, unless they say otherwise. */
export const DEFAULT_RECALL_GOAL = 0.9;
/** Below this many random labels a prevalence estimate is too rough to show. */
export const MIN_RANDOM_LABELS = 30;
/** The model's recall is trusted for the stop hint only once this many random clips were the target. */
export const MIN_RANDOM_POSITIVES = 10;
/**
 * The stop hint needs the low end of the model's recall interval within this much of the goal, besides its point
 * estimate at the goal. On the point alone it fired in 4 of 12 runs on a tone a third of which the model scores like
 * speech (true recall 0.66-0.76, the random sample holding few of the faint ones); on the low end against the goal
 * itself it would hardly ever fire (the dev corpus's tone, which the model finds all of: low ends 0.86-0.91 at 200
 * labels).
 */
export const STOP_MARGIN = 0.1;

/**
 * How many target windows there are and how many are found, from the random sample alone.
 * Recall is estimated on the random positives with the model's leave-one-out flags: a little conservative,
 * since it does not credit positives that are found only because they were labeled.
 * The stop hint fires when that recall reaches the goal with its interval's low end within STOP_MARGIN of it (and
 * enough random positives to mean something), or when the labels alone reach the goal even against the upper end of
 * the total.
 */
export function recallEstimate(input: RecallInput, minRandomLabels = MIN_RANDOM_LABELS): RecallEstimate {
  const base = { randomLabels: input.labeled, minRandomLabels, found: input.found, goal: input.goal };
  if (input.labeled < minRandomLabels) return { ...base, enough: false, stop: false };
  const total = scale(wilson(input.positives, input.labeled), input.population);
  const recall = input.modelled && input.positives > 0 ? wilson(input.positivesFlagged, input.positives) : undefined;
  const precision = input.modelled && input.flagged > 0 ? wilson(input.positivesFlagged, input.flagged) : undefined;
  return withStopHint({ ...base, enough: true, total, recall, precision, stop: false }, input.positives);
}

/** The share of the target already labeled, and the stop hint, from the total and recall an estimate found. */
function withStopHint(e: RecallEstimate & { total: Interval }, randomPositives: number): RecallEstimate {
  const { total, found, goal, recall } = e;
  const labeledShare = {
    value: total.value > 0 ? Math.min(1, found / total.value) : 1,
    low: total.high > 0 ? Math.min(1, found / total.high) : 1,
    high: total.low > 0 ? Math.min(1, found / total.low) : 1,
  };
  const modelMeetsGoal = !!recall && randomPositives >= MIN_RANDOM_POSITIVES && recall.value >= goal && recall.low >= goal - STOP_MARGIN;
  const labelsMeetGoal = total.high > 0 && found >= goal * total.high;
  return { ...e, labeledShare, stop: modelMeetsGoal || labelsMeetGoal };
}

/** A labeled window as the estimate sees it. */
export interface LabeledWindow {
  positive: boolean;
  /** in the random sample */
  random: boolean;
  /** flagged by the model without its own label; undefined without a model */
  flagged?: boolean;
  /** the chance the random arm's draw of it had (LabelRecord.drawProbability) */
  drawProbability?: number;
  /** the random arm drew it with unequal chances (weighted-draw.ts), not evenly */
  weighted?: boolean;
}

/**
 * The estimate from every labeled window (of kind 'label'), in the order labeled: the random ones make the sample,
 * all count as found. Once any draw was weighted, the weighted estimate (weighted-estimate.ts) reads every draw;
 * a sample of even draws alone keeps Wilson's intervals, which hold at small counts.
 */
export function estimateFromLabels(labeled: Iterable<LabeledWindow>, population: number, goal: number): RecallEstimate {
  const windows = [...labeled];
  if (windows.some((w) => w.random && w.weighted)) return fromWeightedDraws(windows, population, goal);
  let modelled = true;
  const input: RecallInput = { population, labeled: 0, positives: 0, positivesFlagged: 0, flagged: 0, found: 0, goal, modelled };
  for (const w of windows) {
    if (w.flagged === undefined) modelled = false;
    if (w.positive) input.found++;
    if (!w.random) continue;
    input.labeled++;
    if (w.positive) input.positives++;
    if (w.flagged) input.flagged++;
    if (w.flagged && w.positive) input.positivesFlagged++;
  }
  return recallEstimate({ ...input, modelled });
}

function fromWeightedDraws(windows: LabeledWindow[], population: number, goal: number, minRandomLabels = MIN_RANDOM_LABELS): RecallEstimate {
  const e = weightedEstimate(windows, population);
  const found = windows.filter((w) => w.positive).length;
  const base = { randomLabels: e?.draws ?? 0, minRandomLabels, found, goal };
  if (!e || e.draws < minRandomLabels) return { ...base, enough: false, stop: false };
  return withStopHint({ ...base, enough: true, total: e.total, recall: e.recall, precision: e.precision, stop: false }, e.positiveDraws);
}

function scale(i: Interval, by: number): Interval {
  return { value: i.value * by, low: i.low * by, high: i.high * by };
}
