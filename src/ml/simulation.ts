import type { Choice } from './choice.js';
import { FLAG_THRESHOLD, type LearningSession } from './learning-session.js';
import { DEFAULT_RECALL_GOAL, type RecallEstimate } from './recall-estimate.js';
import { labelSet } from './label-sets.js';
import { oracleAnswer, type Oracle, type WindowTruth } from './window-truth.js';

export interface SimulationOptions {
  /** a session with vectors attached and built, its target set */
  session: LearningSession;
  truth: WindowTruth;
  target: string;
  /** clips the oracle answers */
  budget: number;
  recallGoal?: number;
  /** how the oracle answers: the dominant label (default) or every label present */
  oracle?: Oracle;
  /** windows given as examples of the target before the first answer (see pickExamples) */
  examples?: readonly number[];
  /** false: leave out the learner's estimate after each answer (a benchmark of what is found, at a fraction of the time) */
  estimates?: boolean;
}

/** What the oracle said about one queued clip; no label where the truth does not cover the clip (a skip). */
export interface OracleAnswer {
  choice: Choice;
  label?: string;
  /** every label the oracle gave, `label` first, when it gave more than one */
  labels?: string[];
}

export interface SimulationTrace {
  answers: OracleAnswer[];
  /** windows the oracle would call the target (the label covering most of them, or one present) */
  positivesTotal: number;
  /** after answer i: target windows labeled so far */
  found: number[];
  /** after answer i: share of target windows labeled or flagged by the model (p >= FLAG_THRESHOLD) */
  recall: number[];
  /** after answer i: share of the windows labeled as or flagged as the target that truly are the target */
  precision: number[];
  /** after answer i: what the learner would tell the user */
  estimates: (RecallEstimate | undefined)[];
}

/**
 * The labeling loop with an oracle in place of a person: queue one clip, answer it from the truth, let the model
 * learn, repeat. Runs `budget` times or until the learner has nothing left to offer.
 */
export function simulateLabeling({ session, truth, target, budget, recallGoal = DEFAULT_RECALL_GOAL, oracle, examples = [], estimates = true }: SimulationOptions): SimulationTrace {
  const targetIndex = truth.labels.indexOf(target);
  const positive = Uint8Array.from(truth.main, (_, w) => (targetIndex >= 0 && oracleAnswer(truth, w, oracle).includes(targetIndex) ? 1 : 0));
  const positivesTotal = positive.reduce((s, v) => s + v, 0);
  const labeledPositive = new Uint8Array(positive.length);
  for (const w of examples) {
    session.addExample(w);
    labeledPositive[w] = positive[w];
  }
  if (examples.length) session.buildStep();
  const trace: SimulationTrace = { answers: [], positivesTotal, found: [], recall: [], precision: [], estimates: [] };
  let found = 0;
  while (trace.answers.length < budget) {
    const [choice] = session.next(1);
    if (!choice) break;
    const labels = oracleAnswer(truth, choice.window, oracle).map((l) => truth.labels[l]);
    const label = labels[0];
    session.addLabel(choice.window, label === undefined ? '' : labelSet(labels), label === undefined ? 'skip' : 'label');
    if (session.relearnIfDue()) session.buildStep();
    trace.answers.push(labels.length > 1 ? { choice, label, labels } : { choice, label });
    if (positive[choice.window] && !labeledPositive[choice.window]) {
      labeledPositive[choice.window] = 1;
      found++;
    }
    trace.found.push(found);
    const { recall, precision } = flagScores(positive, labeledPositive, session.probabilities(), positivesTotal);
    trace.recall.push(recall);
    trace.precision.push(precision);
    trace.estimates.push(estimates ? session.estimate(recallGoal) : undefined);
  }
  return trace;
}

/** Recall and precision of "labeled as the target, or flagged by the model". */
function flagScores(positive: Uint8Array, labeled: Uint8Array, p: Float32Array | undefined, total: number): { recall: number; precision: number } {
  let hits = 0;
  let claimed = 0;
  for (let w = 0; w < positive.length; w++) {
    if (labeled[w] || (p !== undefined && p[w] >= FLAG_THRESHOLD)) {
      claimed++;
      hits += positive[w];
    }
  }
  return { recall: total > 0 ? hits / total : 1, precision: claimed > 0 ? hits / claimed : 1 };
}

/**
 * The number of answers from which recall stayed at or above `share` to the end of the run, or undefined if it
 * ended below. "Stayed" matters: a model that has seen one or two labels flags nearly everything, which briefly
 * looks like perfect recall.
 */
export function answersToReach(trace: SimulationTrace, share: number): number | undefined {
  let n = trace.recall.length;
  while (n > 0 && trace.recall[n - 1] >= share) n--;
  return n === trace.recall.length ? undefined : n + 1;
}

/** The answers spent until the first target clip was labeled (examples not counted), or undefined if none was. */
export function labelsToFirst(trace: SimulationTrace): number | undefined {
  const i = trace.found.findIndex((n) => n > 0);
  return i < 0 ? undefined : i + 1;
}

/** `count` of the target's windows in the truth, chosen at random: examples a user might have at hand. */
export function pickExamples(truth: WindowTruth, target: string, count: number, rand: () => number): number[] {
  const t = truth.labels.indexOf(target);
  const pool: number[] = [];
  for (let w = 0; w < truth.main.length; w++) if (t >= 0 && truth.main[w] === t) pool.push(w);
  const out: number[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out;
}
