import { EXAMPLE_HOW, type DecisionKind } from '../domain/labels.js';
import type { Choice } from './choice.js';
import type { LabelSet } from './label-sets.js';
import type { Vectors } from './distance.js';
import { IncrementalModel } from './incremental-model.js';
import { likelihood, similarity, uncertainty } from './measures.js';
import { heldApart, heldOutEstimate, heldOutVotesSteps, rowsAt, trainModelSteps, type HeldApart, type SampledExample } from './model.js';
import { RandomSample } from './random-sample.js';
import { runSteps } from './steps.js';
import type { RecallEstimate } from './recall-estimate.js';
import { selectTopK, type Spacing } from './selectors.js';
import { WeightedDraws } from './weighted-draw.js';
import { ARMS, allocateArms, parseStrategy, type Arm, type How, type Strategy } from './strategies.js';

export { NEIGHBORS, FLAG_THRESHOLD } from './model.js';
export { RELEARN_FROM, RELEARN_GROWTH } from './incremental-model.js';

/**
 * Model-chosen clips start at least this far from each other and from labeled clips, so one event is not queued
 * five times over.
 */
export const SPACING_SECONDS = 3;
/**
 * Windows queued first for each example of the target (as many as the m key queues), nearest first, until one of
 * them is labeled as something else: from there the model, which has learned from those labels, ranks better.
 */
export const EXAMPLE_NEIGHBORS = 10;
/**
 * Explore picks the farthest of this many undecided windows drawn at random, not of all of them: the farthest of all
 * is the collection's oddest clip, again and again, while a common sound no label has reached waits; a random few
 * hold the common sounds and, more often than not, a rare one.
 */
export const EXPLORE_SAMPLE = 64;

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
  /** the random arm draws evenly throughout, never weighted by the model: how it drew before, to compare against */
  evenDraws?: boolean;
}

/** How a random clip was drawn: the chance it had, and whether the model weighted that chance (weighted-draw.ts). */
export interface RandomDraw {
  probability: number;
  weighted: boolean;
}

interface Decision {
  label: LabelSet;
  kind: DecisionKind;
  how: string;
  draw?: RandomDraw;
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
  private readonly apart: HeldApart;
  private readonly rand: () => number;
  private readonly onSampled?: (window: number) => void;
  private readonly weighsDraws: boolean;
  private readonly decisions = new Map<number, Decision>();
  /** how each clip handed out and not yet decided was chosen */
  private readonly issued = new Map<number, How>();
  /** how each random clip handed out and not yet decided was drawn */
  private readonly draws = new Map<number, RandomDraw>();
  private readonly model: IncrementalModel;
  private readonly sample: RandomSample;
  /** examples of the target (their rows in the model) and how many of their nearest windows are still to be queued */
  private readonly examples: Example[] = [];
  /** buffers reused by every query, so re-ranking a large collection after each label allocates nothing */
  private readonly work: { eligible: Uint8Array; open: Uint8Array; crowded: Uint8Array; scores: Float32Array };
  /** counts every decision made or taken back: the weighted draws are built again after one */
  private revision = 0;
  /** the windows the weighted draws may land on: one mask, filled again for each new set of draws */
  private drawable?: Uint8Array;
  /** weighted draws for one set of probabilities and decisions, and the queued windows taken out of them */
  private weighted?: { p: Float32Array; version: number; revision: number; draws: WeightedDraws; taken: Set<number> };

  constructor(opts: SessionOptions) {
    this.windows = opts.offsets[opts.offsets.length - 1];
    this.population = opts.population ?? this.windows;
    this.strategy = opts.strategy ?? parseStrategy();
    this.spacing = { offsets: opts.offsets, gap: spacingGap(opts.clip) };
    this.apart = heldApart(opts.offsets, opts.clip);
    this.rand = opts.rand;
    this.onSampled = opts.onSampled;
    // plain random labeling stays the even sample it is measured as; so does a large collection's pool, whose
    // estimate is the pool's scaled to the collection
    this.weighsDraws = !opts.evenDraws && this.strategy.shares.random < 1 && this.population === this.windows;
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

  /** Builds the model for as long as `count` labels' passes over the windows take; true when it has taken in every label. */
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

  /** Hunts another label; true when buildStep() has a rebuild to do: the metric is the target's (IncrementalModel). */
  setTarget(label: string | undefined): boolean {
    return this.model.setTarget(label);
  }

  /**
   * Records a decision about a window, replacing any earlier one; `how` defaults to how the clip was handed out.
   * `label` is every label of the clip when it holds more than one sound. `sampled`: the random strategy drew it
   * after it was decided; `draw`: how the random arm drew it (both restored from the store; a clip this session drew
   * remembers its own draw).
   */
  addLabel(window: number, label: LabelSet, kind: DecisionKind, how?: string, sampled = false, draw?: RandomDraw): void {
    this.forget(window);
    const d: Decision = { label, kind, how: how ?? this.issued.get(window) ?? 'manual', draw: draw ?? this.draws.get(window) };
    this.issued.delete(window);
    this.draws.delete(window);
    this.decisions.set(window, d);
    this.revision++;
    if (d.how === 'random' || sampled) this.sample.join(window);
    if (kind === 'label') this.model.add(window, label);
    this.model.changed();
  }

  /**
   * A moment of the collection given as an example of the target (hark label --example file@time): labeled as the
   * target (how 'example', never in the random sample), and its nearest windows are queued first.
   */
  addExample(window: number): void {
    this.addLabel(window, this.requireTarget(), 'label', EXAMPLE_HOW);
    this.examples.push({ rows: [window], left: EXAMPLE_NEIGHBORS, queued: [] });
  }

  /**
   * A recording outside the collection given as an example of the target: its window vectors, standardised and
   * quantized as the collection's (attached already), join the model as positives, and the windows nearest to any
   * of them are queued first. It is no window of the collection: never queued, never counted as found.
   */
  addOutsideExample(rows: Vectors): void {
    const target = this.requireTarget();
    this.examples.push({ rows: this.model.addOutside(rows, Array(rows.length / this.model.space!.dims).fill(target)), left: EXAMPLE_NEIGHBORS, queued: [] });
    this.model.changed();
  }

  /**
   * Labeled clips that are no window of this session (outside a large collection's pool: labeled from a search, or
   * by another annotator), their vectors standardised and quantized as the session's: they teach the model as
   * labels do, but are never queued, never counted as found and never in the random sample.
   */
  addOutsideLabels(rows: Vectors, labels: readonly LabelSet[]): void {
    this.model.addOutside(rows, labels);
    this.model.changed();
  }

  private requireTarget(): string {
    const target = this.model.getTarget();
    if (target === undefined) throw new Error('an example needs a target');
    return target;
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
    const explorable = !p && this.ready && this.model.getTarget() !== undefined;
    const arms: Arm[] = p || explorable ? allocateArms(this.strategy.shares, this.choicesByArm(exclude), count) : Array(count).fill('random');
    const taken = new Set(exclude);
    // the model's arms first queue the examples' nearest windows, and explore while the target has no positive
    const modelSlots = arms.filter((a) => a !== 'random').length;
    const standIns = this.exampleNeighbors(modelSlots, taken, p);
    if (!p) standIns.push(...this.explore(modelSlots - standIns.length, taken));
    let served = 0;
    const plan = arms.map((arm) => (arm !== 'random' && served < standIns.length ? standIns[served++] : arm));
    const picks = new Map<Arm, number[]>();
    for (const arm of ARMS) {
      const wanted = plan.filter((a) => a === arm).length;
      if (wanted === 0 || arm === 'random' || !p) continue;
      const scores = arm === 'likely' ? likelihood(p) : uncertainty(p, this.work.scores);
      const chosen = selectTopK(scores, wanted, this.undecided(taken), this.spacing, this.nearby(taken), this.rand, this.work);
      chosen.forEach((w) => taken.add(w));
      picks.set(arm, chosen);
    }
    const out: Choice[] = [];
    for (const arm of plan) {
      if (typeof arm !== 'string') {
        out.push(arm);
        continue;
      }
      const w = arm === 'random' ? undefined : picks.get(arm)?.shift();
      const choice = arm === 'random' || w === undefined ? this.drawRandom(taken) : this.choice(w, arm, p);
      if (!choice) break;
      taken.add(choice.window);
      out.push(choice);
    }
    return out;
  }

  /** Up to `count` of the examples' nearest undecided windows not queued yet, taking turns between examples. */
  private exampleNeighbors(count: number, taken: Set<number>, p: Float32Array | undefined): Choice[] {
    const space = this.model.space;
    const out: Choice[] = [];
    if (!space || !this.ready) return out;
    const target = this.model.getTarget();
    const missed = (e: Example) => e.queued.some((w) => this.decisions.get(w)?.kind === 'label' && this.decisions.get(w)?.label !== target);
    for (const e of this.examples) if (missed(e)) e.left = 0;
    while (out.length < count) {
      const example = this.examples.reduce<Example | undefined>((best, e) => (e.left > (best?.left ?? 0) ? e : best), undefined);
      if (!example) break;
      const scores = similarity(space.vectors, space.dims, example.rows, this.work.scores);
      const [w] = selectTopK(scores, 1, this.undecided(taken), this.spacing, this.nearby(taken), this.rand, this.work);
      if (w === undefined) {
        example.left = 0;
        continue;
      }
      example.left--;
      example.queued.push(w);
      taken.add(w);
      this.issued.set(w, 'similar');
      out.push({ ...this.describe(w, 'similar', p), reason: 'similar to example' });
    }
    return out;
  }

  /**
   * Up to `count` undecided windows from the parts of feature space no label has reached yet: farthest-first, each
   * the farthest (in the model's metric) from every labeled window and every window chosen before it.
   */
  private explore(count: number, taken: Set<number>): Choice[] {
    const out: Choice[] = [];
    const far = count > 0 ? this.model.labelDistances(this.work.scores) : undefined;
    if (!far) return out;
    for (const w of taken) if (this.issued.get(w) === 'explore' && !this.decisions.has(w)) this.model.lowerDistances(far, w);
    while (out.length < count) {
      const [w] = selectTopK(far, 1, this.randomFew(this.undecided(taken), EXPLORE_SAMPLE), this.spacing, this.nearby(taken), this.rand, this.work);
      if (w === undefined) break;
      taken.add(w);
      this.issued.set(w, 'explore');
      out.push({ ...this.describe(w, 'explore', undefined), reason: 'explore' });
      if (out.length < count) this.model.lowerDistances(far, w);
    }
    return out;
  }

  /** Keeps `count` of the windows `mask` marks, drawn at random, and clears the others (all stay when fewer). */
  private randomFew(mask: Uint8Array, count: number): Uint8Array {
    const marked: number[] = [];
    for (let w = 0; w < mask.length; w++) if (mask[w]) marked.push(w);
    if (marked.length <= count) return mask;
    mask.fill(0);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.rand() * (marked.length - i));
      [marked[i], marked[j]] = [marked[j], marked[i]];
      mask[marked[i]] = 1;
    }
    return mask;
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
    return runSteps(this.estimateSteps(goal));
  }

  /**
   * estimate() in steps, for a thread that must stay responsive on many labels: the same figure as `hark stats`,
   * from the model fitted to every label (model.ts), its held-out votes a few examples a step (heldOutVotesSteps).
   */
  *estimateSteps(goal: number): Generator<void, RecallEstimate | undefined> {
    const target = this.model.getTarget();
    if (target === undefined) return undefined;
    // in the order labeled: the weighted estimate counts, for each draw, the labels made before it
    const labeled = [...this.model.labels()].map(([window, label]) => ({ window, label, random: this.sample.has(window), ...this.drawOf(window) }));
    // outside examples teach the model but are no window of the collection: never counted as found
    const inCollection = labeled.filter((d) => d.window < this.windows);
    const space = this.model.space;
    // the model's recall is claimed only once every window has a vector: random labels elsewhere have no score yet
    if (!space || !this.ready || this.model.partial || !this.model.targetSeen()) return heldOutEstimate(inCollection, target, this.population, goal);
    const windows = labeled.map((d) => d.window);
    const model = yield* trainModelSteps({ vectors: rowsAt(space.vectors, space.dims, windows), dims: space.dims, labels: labeled.map((d) => d.label), windows, target });
    const c = model.classes.indexOf(target);
    // the weighted estimate counts every label's vote, made before a draw or drawn; Wilson's only the random ones'
    const weighted = inCollection.some((d) => d.weighted);
    const voters = labeled.flatMap((d, row) => (d.window < this.windows && (weighted || d.random) ? [row] : []));
    const votes = (yield* heldOutVotesSteps(model, this.apart, voters, target))[c];
    const heldOut = new Map(voters.map((row, j) => [labeled[row].window, votes[j]]));
    const examples: SampledExample[] = inCollection.map((d) => ({ ...d, heldOut: heldOut.get(d.window) ?? 0 }));
    return heldOutEstimate(examples, target, this.population, goal);
  }

  /** How a labeled window was drawn, as the estimate reads it: nothing for a window outside the random sample. */
  private drawOf(window: number): { drawProbability?: number; weighted?: boolean } {
    const draw = this.sample.has(window) ? this.decisions.get(window)?.draw : undefined;
    return draw ? { drawProbability: draw.probability, weighted: draw.weighted } : {};
  }

  private forget(window: number): boolean {
    if (!this.decisions.delete(window)) return false;
    this.revision++;
    this.sample.leave(window);
    this.model.remove(window);
    return true;
  }

  /** Decided clips and queued ones, by the arm that chose them: the base the next allocation balances against. */
  private choicesByArm(queued: ReadonlySet<number>): Record<Arm, number> {
    const made: Record<Arm, number> = { likely: 0, random: 0, uncertain: 0 };
    const { likely, uncertain } = this.strategy.shares;
    const count = (how: string) => {
      if ((ARMS as readonly string[]).includes(how)) made[how as Arm]++;
      // an explored clip stands in for the arms it replaced, in their proportions
      if (how === 'explore' && likely + uncertain > 0) {
        made.likely += likely / (likely + uncertain);
        made.uncertain += uncertain / (likely + uncertain);
      }
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

  /**
   * A random draw. Once the target has a labeled example (and the strategy is not plain random), a weighted draw
   * among the undecided windows, more often where the model scores the target high (weighted-draw.ts): the labels
   * made before it count as known in the estimate, so it skips them. Before, an even draw (random-sample.ts), whose
   * decided windows join the sample and are reported, not shown.
   */
  private drawRandom(taken: ReadonlySet<number>): Choice | undefined {
    const p = this.weighsDraws && this.model.targetSeen() ? this.probabilities() : undefined;
    if (p) {
      const drawn = this.weightedDraws(p, taken).draw(this.rand);
      return drawn && this.issueDraw(drawn.window, { probability: drawn.probability, weighted: true }, p);
    }
    const drawn = this.sample.draw(taken, (w) => this.decisions.has(w), this.rand, this.onSampled);
    return drawn && this.issueDraw(drawn.window, { probability: this.sample.drawProbability(drawn.window, drawn.pool), weighted: false }, this.probabilities());
  }

  /**
   * The weighted draws among the undecided windows not in `taken`: built once for each set of probabilities and
   * decisions, then only the queued windows that changed are taken out or put back: a draw does not scan the collection.
   */
  private weightedDraws(p: Float32Array, taken: ReadonlySet<number>): WeightedDraws {
    const version = this.model.modelVersion;
    let built = this.weighted;
    if (!built || built.p !== p || built.version !== version || built.revision !== this.revision) {
      // a fresh mask each label would be a megabyte of page faults at 1 M windows
      const drawable = (this.drawable ??= new Uint8Array(this.windows)).fill(1);
      for (const w of this.decisions.keys()) drawable[w] = 0;
      built = this.weighted = { p, version, revision: this.revision, draws: new WeightedDraws(p, drawable), taken: new Set() };
    }
    const { draws, taken: out } = built;
    for (const w of out) {
      if (taken.has(w)) continue;
      draws.setAvailable(w, true);
      out.delete(w);
    }
    for (const w of taken) {
      if (!draws.isAvailable(w)) continue;
      draws.setAvailable(w, false);
      out.add(w);
    }
    return draws;
  }

  private issueDraw(window: number, draw: RandomDraw, p: Float32Array | undefined): Choice {
    this.issued.set(window, 'random');
    this.draws.set(window, draw);
    return { ...this.describe(window, 'random', p, draw), reason: 'random' };
  }

  /** Counts a decided window in the random sample: the random strategy drew it. */
  joinRandomSample(window: number): void {
    this.sample.join(window);
  }

  private choice(window: number, arm: Exclude<Arm, 'random'>, p: Float32Array | undefined): Choice {
    this.issued.set(window, arm);
    const c = this.describe(window, arm, p);
    const shown = c.score === undefined ? '' : ` p=${c.score.toFixed(2)}`;
    // the best the arm has is a clip the model is sure of: say so, a hint that the hunt has run dry
    const dry = arm === 'likely' ? c.score === 0 : c.score === 0 || c.score === 1;
    const target = this.model.getTarget();
    const reason = arm === 'likely' ? (dry ? `no likely ${target} left` : `likely ${target}`) : dry ? 'no uncertain clip left' : 'uncertain';
    return { ...c, reason: `${reason}${shown}` };
  }

  private describe(window: number, how: How, p: Float32Array | undefined, draw?: RandomDraw): Omit<Choice, 'reason'> {
    return {
      window,
      how,
      strategy: this.strategy.name,
      score: p ? p[window] : undefined,
      modelVersion: this.modelVersion,
      drawProbability: draw?.probability ?? this.sample.drawProbability(window),
      ...(draw?.weighted && { weighted: true }),
    };
  }
}

/** An example of the target: its rows in the model, and its nearest windows queued so far and still to queue. */
interface Example {
  rows: number[];
  left: number;
  queued: number[];
}

/** How a stored decision's clip was drawn, for addLabel: nothing for a decision without a draw probability. */
export function recordedDraw(r: { drawProbability?: number; weighted?: boolean }): RandomDraw | undefined {
  return r.drawProbability === undefined ? undefined : { probability: r.drawProbability, weighted: r.weighted === true };
}

/** Windows either side of a chosen one that start less than SPACING_SECONDS away (at least the adjacent ones). */
export function spacingGap(clip: number): number {
  return Math.max(1, Math.ceil(SPACING_SECONDS / clip - 1e-9) - 1);
}
