import type { DecisionKind } from '../domain/labels.js';
import type { Choice } from './choice.js';
import type { Vectors } from './distance.js';
import { IncrementalModel } from './incremental-model.js';
import { likelihood, similarity, uncertainty } from './measures.js';
import { heldOutEstimate, rowsAt, scoreWindows, trainModel, type SampledExample } from './model.js';
import { RandomSample } from './random-sample.js';
import type { RecallEstimate } from './recall-estimate.js';
import { selectTopK, type Spacing } from './selectors.js';
import { ARMS, allocateArms, parseStrategy, type Arm, type How, type Strategy } from './strategies.js';

export { NEIGHBORS, FLAG_THRESHOLD } from './model.js';
export { RELEARN_FROM, RELEARN_GROWTH } from './incremental-model.js';

/**
 * Model-chosen clips start at least this far from each other and from labeled clips, so one event is not queued
 * five times over.
 */
export const SPACING_SECONDS = 3;
/** Random examples whose held-out vote one step of estimateSteps() computes: about a millisecond per 1,000 labels. */
const ESTIMATE_STEP = 16;

export interface SessionOptions {
  /** a WindowGrid's offsets: the first window of each file, then the window count */
  offsets: Int32Array;
  /** seconds per window */
  clip: number;
  /** windows the recall estimate counts in: more than the session's when they are a uniform pool of a collection */
  population?: number;
  strategy?: Strategy;
  target?: string;
  /** the random source for draws and tie-breaks, e.g. a seeded generator */
  rand: () => number;
  /** a random draw landed on a window already decided, whose answer now counts in the random sample: persist it */
  onSampled?: (window: number) => void;
  /**
   * a label reaches the model only through buildStep() or buildRows(), which a thread that must answer quickly runs
   * in slices; until then clips are ranked by the probabilities from before
   */
  labelsWaitForBuild?: boolean;
}

interface Decision {
  label: string;
  kind: DecisionKind;
  how: string;
}

/**
 * The labeling loop's queue, without I/O: decisions in, queued choices and a recall estimate out. It holds the
 * decisions and how each clip was chosen, and hands the arms' work to the model (incremental-model.ts) and the random
 * sample (random-sample.ts). Random choices work from the start; the other arms once feature vectors are attached
 * and a target is set.
 */
export class LearningSession {
  readonly windows: number;
  private readonly population: number;
  readonly strategy: Strategy;
  private readonly spacing: Spacing;
  private readonly rand: () => number;
  private readonly onSampled?: (window: number) => void;
  private readonly decisions = new Map<number, Decision>();
  /** how each clip handed out and not yet decided was chosen */
  private readonly issued = new Map<number, How>();
  private readonly model: IncrementalModel;
  private readonly sample: RandomSample;
  /** buffers reused by every query, so re-ranking a large collection after each label allocates nothing */
  private readonly work: { eligible: Uint8Array; open: Uint8Array; crowded: Uint8Array; scores: Float32Array };

  constructor(opts: SessionOptions) {
    this.windows = opts.offsets[opts.offsets.length - 1];
    this.population = opts.population ?? this.windows;
    this.strategy = opts.strategy ?? parseStrategy();
    this.spacing = { offsets: opts.offsets, gap: spacingGap(opts.clip) };
    this.rand = opts.rand;
    this.onSampled = opts.onSampled;
    this.model = new IncrementalModel(this.windows, opts.target, opts.labelsWaitForBuild);
    this.sample = new RandomSample(this.windows);
    this.work = {
      eligible: new Uint8Array(this.windows),
      open: new Uint8Array(this.windows),
      crowded: new Uint8Array(this.windows),
      scores: new Float32Array(this.windows),
    };
  }

  /**
   * true once the model ranks clips: it has vectors and has taken in every label, or it is being rebuilt with a newly
   * learned metric and ranks with the probabilities from before
   */
  get ready(): boolean {
    return this.model.ready;
  }

  get modelVersion(): number {
    return this.model.modelVersion;
  }

  /** Windows not decided yet, queued or not: how many clips are left to label. */
  get remaining(): number {
    return this.windows - this.decisions.size;
  }

  /**
   * Standardised vectors (windows x dims, Float32 or quantized) for the whole collection. The labels made so far
   * reach the model through buildStep(), which a caller can run in slices to stay responsive (each costs one pass
   * over the vectors). While extraction goes on, `known` marks the windows that have vectors: only they are ranked
   * and only their labels teach the model. Attaching the same array again (rewritten in place) reuses the index.
   */
  attachVectors(vectors: Vectors, dims: number, known?: Uint8Array): void {
    this.model.attachVectors(vectors, dims, known);
  }

  /** Feeds up to `count` waiting labels to the model; true when it has taken in every label. */
  buildStep(count = Infinity): boolean {
    return this.model.buildStep(count);
  }

  /** buildStep() in steps of about `rows` windows, so one label's pass over a large collection can be split. */
  buildRows(rows: number): boolean {
    return this.model.buildRows(rows);
  }

  /**
   * Learns the metric again from every label (discriminant-space.ts) and starts rebuilding the model with it: true
   * when buildStep() has a rebuild to do (measuring every window on the new metric, then the index; buildRows() does
   * both in slices). Meanwhile clips are ranked by the model from before, so the queue never stops favouring the
   * target, and no second index is held. Only once every window has a vector.
   */
  relearn(): boolean {
    return this.model.relearn();
  }

  /** relearn() once the labels have grown enough since the metric was last learned. */
  relearnIfDue(): boolean {
    return this.model.relearnIfDue();
  }

  setTarget(label: string | undefined): void {
    this.model.setTarget(label);
  }

  /**
   * Records a decision about a window, replacing any earlier one; `how` defaults to how the clip was handed out.
   * `sampled`: the random strategy drew it after it was decided (restored from the store).
   */
  addLabel(window: number, label: string, kind: DecisionKind, how?: string, sampled = false): void {
    this.forget(window);
    const d: Decision = { label, kind, how: how ?? this.issued.get(window) ?? 'manual' };
    this.issued.delete(window);
    this.decisions.set(window, d);
    if (d.how === 'random' || sampled) this.sample.join(window);
    if (kind === 'label') this.model.add(window, label);
    this.model.changed();
  }

  /** Takes back a decision (undo): the window is undecided again. */
  removeLabel(window: number): void {
    if (this.forget(window)) this.model.changed();
  }

  /** Per-window probability of the target (leave-one-out for labeled windows); undefined without model or target. */
  probabilities(): Float32Array | undefined {
    return this.model.probabilities();
  }

  /** The next `count` clips to label, none of them in `exclude` (clips already queued). */
  next(count: number, exclude: ReadonlySet<number> = new Set()): Choice[] {
    // nothing left to offer: no random draws, which would otherwise sweep every decided window into the sample
    if (this.remaining - this.undecidedAmong(exclude) <= 0) return [];
    // "likely" and "uncertain" mean nothing until the target has at least one labeled example: explore until then
    const p = this.model.targetSeen() ? this.probabilities() : undefined;
    const arms: Arm[] = p ? allocateArms(this.strategy.shares, this.choicesByArm(exclude), count) : Array(count).fill('random');
    const taken = new Set(exclude);
    const picks = new Map<Arm, number[]>();
    for (const arm of ARMS) {
      const wanted = arms.filter((a) => a === arm).length;
      if (wanted === 0 || arm === 'random' || !p) continue;
      const scores = arm === 'likely' ? likelihood(p) : uncertainty(p, this.work.scores);
      const chosen = selectTopK(scores, wanted, this.undecided(taken), this.spacing, this.nearby(taken), this.rand, this.work);
      chosen.forEach((w) => taken.add(w));
      picks.set(arm, chosen);
    }
    const out: Choice[] = [];
    for (const arm of arms) {
      const w = arm === 'random' ? undefined : picks.get(arm)?.shift();
      const choice = arm === 'random' || w === undefined ? this.drawRandom(taken) : this.choice(w, arm, p);
      if (!choice) break;
      taken.add(choice.window);
      out.push(choice);
    }
    return out;
  }

  /** The undecided windows most like `window` (query by example), nearest first; none before there is a model. */
  similar(window: number, count: number, exclude: ReadonlySet<number> = new Set()): Choice[] {
    const space = this.model.space;
    if (!space || !this.ready || !this.model.isKnown(window)) return [];
    const taken = new Set(exclude).add(window);
    const scores = similarity(space.vectors, space.dims, window, this.work.scores);
    const chosen = selectTopK(scores, count, this.undecided(taken), this.spacing, this.nearby(taken), this.rand, this.work);
    const p = this.probabilities();
    return chosen.map((w) => {
      this.issued.set(w, 'similar');
      return { ...this.describe(w, 'similar', p), reason: `similar d=${Math.sqrt(-scores[w]).toFixed(2)}` };
    });
  }

  /** The recall estimate for the current target from the random arm's labels; undefined without a target. */
  estimate(goal: number): RecallEstimate | undefined {
    const steps = this.estimateSteps(goal);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * estimate() in steps, for a thread that must stay responsive on many labels: the same figure as `hark stats`,
   * from the model fitted to every label (model.ts), each random example's held-out vote a step of ESTIMATE_STEP.
   */
  *estimateSteps(goal: number): Generator<void, RecallEstimate | undefined> {
    const target = this.model.getTarget();
    if (target === undefined) return undefined;
    const labeled = [...this.model.labels()].map(([window, label]) => ({ window, label, random: this.sample.has(window) }));
    const space = this.model.space;
    // the model's recall is claimed only once every window has a vector: random labels elsewhere have no score yet
    if (!space || !this.ready || this.model.partial || !this.model.targetSeen()) return heldOutEstimate(labeled, target, this.population, goal);
    const windows = labeled.map((d) => d.window);
    const model = trainModel({ vectors: rowsAt(space.vectors, space.dims, windows), dims: space.dims, labels: labeled.map((d) => d.label), windows });
    const c = model.classes.indexOf(target);
    const random = labeled.filter((d) => d.random);
    // outside the sample a vote is never counted (only `found` is): no need to compute it
    const examples: SampledExample[] = labeled.filter((d) => !d.random).map((d) => ({ ...d, heldOut: 0 }));
    for (let i = 0; i < random.length; i += ESTIMATE_STEP) {
      yield;
      const chunk = random.slice(i, i + ESTIMATE_STEP).map((d) => d.window);
      const votes = scoreWindows(model, rowsAt(space.vectors, space.dims, chunk), chunk)[c];
      chunk.forEach((w, j) => examples.push({ label: random[i + j].label, random: true, heldOut: votes[j] }));
    }
    return heldOutEstimate(examples, target, this.population, goal);
  }

  private forget(window: number): boolean {
    if (!this.decisions.delete(window)) return false;
    this.sample.leave(window);
    this.model.remove(window);
    return true;
  }

  /** Decided clips and queued ones, by the arm that chose them: the base the next allocation balances against. */
  private choicesByArm(queued: ReadonlySet<number>): Record<Arm, number> {
    const made: Record<Arm, number> = { likely: 0, random: 0, uncertain: 0 };
    const count = (how: string) => {
      if ((ARMS as readonly string[]).includes(how)) made[how as Arm]++;
    };
    for (const d of this.decisions.values()) count(d.how);
    for (const w of queued) if (!this.decisions.has(w)) count(this.issued.get(w) ?? '');
    return made;
  }

  private undecidedAmong(windows: ReadonlySet<number>): number {
    let n = 0;
    for (const w of windows) if (!this.decisions.has(w)) n++;
    return n;
  }

  private undecided(taken: ReadonlySet<number>): Uint8Array {
    const open = this.work.eligible;
    this.model.markKnown(open);
    for (const w of this.decisions.keys()) open[w] = 0;
    for (const w of taken) open[w] = 0;
    return open;
  }

  /** Decided and taken windows, without copying them into an array on every query. */
  private *nearby(taken: ReadonlySet<number>): Iterable<number> {
    yield* this.decisions.keys();
    yield* taken;
  }

  /** A random draw (random-sample.ts); decided windows it lands on join the sample and are reported, not shown. */
  private drawRandom(taken: ReadonlySet<number>): Choice | undefined {
    const drawn = this.sample.draw(taken, (w) => this.decisions.has(w), this.rand, this.onSampled);
    if (!drawn) return undefined;
    this.issued.set(drawn.window, 'random');
    return { ...this.describe(drawn.window, 'random', this.probabilities(), drawn.pool), reason: 'random' };
  }

  /** Counts a decided window in the random sample: the random strategy drew it. */
  joinRandomSample(window: number): void {
    this.sample.join(window);
  }

  private choice(window: number, arm: Exclude<Arm, 'random'>, p: Float32Array | undefined): Choice {
    this.issued.set(window, arm);
    const c = this.describe(window, arm, p);
    const shown = c.score === undefined ? '' : ` p=${c.score.toFixed(2)}`;
    return { ...c, reason: arm === 'likely' ? `likely ${this.model.getTarget()}${shown}` : `uncertain${shown}` };
  }

  private describe(window: number, how: How, p: Float32Array | undefined, randomPool?: number): Omit<Choice, 'reason'> {
    return {
      window,
      how,
      strategy: this.strategy.name,
      score: p ? p[window] : undefined,
      modelVersion: this.modelVersion,
      drawProbability: this.sample.drawProbability(window, randomPool),
    };
  }
}

/** Windows either side of a chosen one that start less than SPACING_SECONDS away (at least the adjacent ones). */
export function spacingGap(clip: number): number {
  return Math.max(1, Math.ceil(SPACING_SECONDS / clip - 1e-9) - 1);
}
