import type { DecisionKind } from '../domain/labels.js';
import type { Choice } from './choice.js';
import { discriminantCoordinates } from './discriminant-space.js';
import { targetProbabilities } from './knn-votes.js';
import { likelihood, similarity, uncertainty } from './measures.js';
import type { Vectors } from './distance.js';
import { NeighborIndex } from './neighbor-index.js';
import { estimateFromLabels, type RecallEstimate } from './recall-estimate.js';
import { drawUniform, selectTopK, type Spacing } from './selectors.js';
import { ARMS, allocateArms, parseStrategy, type Arm, type How, type Strategy } from './strategies.js';

/** Neighbours that vote on each window. */
export const NEIGHBORS = 10;
/** A window is flagged as the target when the target holds the weighted majority of its neighbours' votes. */
export const FLAG_THRESHOLD = 0.5;
/**
 * Model-chosen clips start at least this far from each other and from labeled clips, so one event is not queued
 * five times over.
 */
export const SPACING_SECONDS = 3;
/** The metric is first learned from this many labels (fewer say little about which directions matter)... */
export const RELEARN_FROM = 20;
/** ...and again each time the labels have grown by this factor: all rebuilds together cost about 3x the labels' adds. */
export const RELEARN_GROWTH = 1.5;

export interface SessionOptions {
  /** a WindowGrid's offsets: the first window of each file, then the window count */
  offsets: Int32Array;
  /** seconds per window */
  clip: number;
  strategy?: Strategy;
  target?: string;
  /** the random source for draws and tie-breaks, e.g. a seeded generator */
  rand: () => number;
  /** a random draw landed on a window already decided, whose answer now counts in the random sample: persist it */
  onSampled?: (window: number) => void;
}

interface Decision {
  label: string;
  kind: DecisionKind;
  how: string;
}

/**
 * The labeling loop's model side, without I/O: decisions in, queued choices and a recall estimate out.
 * Random choices work from the start; the other arms once feature vectors are attached and a target is set.
 */
export class LearningSession {
  readonly windows: number;
  readonly strategy: Strategy;
  private readonly spacing: Spacing;
  private readonly rand: () => number;
  private readonly onSampled?: (window: number) => void;
  private readonly decisions = new Map<number, Decision>();
  /** how each clip handed out and not yet decided was chosen */
  private readonly issued = new Map<number, How>();
  private readonly classIds = new Map<string, number>();
  private readonly classOf: Int32Array;
  private readonly drawnAtRandom: Uint8Array;
  private randomDrawn = 0;
  private target?: string;
  private index?: NeighborIndex;
  /** while features are still being extracted: 1 for the windows whose vectors exist; undefined once all do */
  private known?: Uint8Array;
  /** labeled windows not yet in the index */
  private backlog: number[] = [];
  private version = 0;
  private probabilityCache?: { version: number; target: string; values: Float32Array };
  /** while the index is rebuilt with a new metric: the probabilities from before, which rank clips meanwhile */
  private stale?: { target: string; values: Float32Array };
  private relearnAt = RELEARN_FROM;
  /** buffers reused by every query, so re-ranking a large collection after each label allocates nothing */
  private readonly work: { eligible: Uint8Array; open: Uint8Array; crowded: Uint8Array; scores: Float32Array };

  constructor(opts: SessionOptions) {
    this.windows = opts.offsets[opts.offsets.length - 1];
    this.strategy = opts.strategy ?? parseStrategy();
    this.spacing = { offsets: opts.offsets, gap: spacingGap(opts.clip) };
    this.rand = opts.rand;
    this.onSampled = opts.onSampled;
    this.target = opts.target;
    this.classOf = new Int32Array(this.windows).fill(-1);
    this.drawnAtRandom = new Uint8Array(this.windows);
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
    return this.index !== undefined && (this.backlog.length === 0 || this.stale !== undefined);
  }

  get modelVersion(): number {
    return this.ready ? this.version : 0;
  }

  /**
   * Standardised vectors (windows x dims, Float32 or quantized) for the whole collection. The labels made so far
   * reach the model through buildStep(), which a caller can run in slices to stay responsive (each costs one pass
   * over the vectors). While extraction goes on, `known` marks the windows that have vectors: only they are ranked
   * and only their labels teach the model. Attaching the same array again (rewritten in place) reuses the index.
   */
  attachVectors(vectors: Vectors, dims: number, known?: Uint8Array): void {
    if (vectors.length !== this.windows * dims) throw new RangeError(`expected ${this.windows} x ${dims} values, got ${vectors.length}`);
    if (this.index?.vectors === vectors && this.index.dims === dims) this.index.useCoordinates(undefined);
    else this.index = new NeighborIndex(vectors, dims, NEIGHBORS);
    this.stale = undefined;
    this.relearnAt = RELEARN_FROM;
    this.known = known;
    this.backlog = [...this.decisions].filter(([w, d]) => d.kind === 'label' && this.isKnown(w)).map(([w]) => w);
    this.version++;
  }

  private isKnown(window: number): boolean {
    return !this.known || this.known[window] === 1;
  }

  /** Feeds up to `count` waiting labels to the model; true when it has taken in every label. */
  buildStep(count = Infinity): boolean {
    for (let i = 0; i < count && this.backlog.length > 0; i++) this.index?.add(this.backlog.pop()!);
    if (this.backlog.length > 0) return false;
    this.stale = undefined;
    return this.index !== undefined;
  }

  /**
   * Learns the metric again from every label (discriminant-space.ts) and starts rebuilding the model with it: true
   * when buildStep() has a rebuild to do. Meanwhile clips are ranked by the probabilities from before, so the queue
   * never stops favouring the target, and no second index is held. Only once every window has a vector.
   */
  relearn(): boolean {
    if (!this.index || this.known) return false;
    const labeled = [...this.decisions].filter(([, d]) => d.kind === 'label');
    this.relearnAt = Math.max(RELEARN_FROM, Math.ceil(labeled.length * RELEARN_GROWTH));
    const rows = labeled.map(([w, d]) => ({ row: w, cls: this.classId(d.label) }));
    const coordinates = discriminantCoordinates(this.index.vectors, this.index.dims, rows);
    if (!coordinates) return false;
    const before = this.targetSeen() ? this.probabilities() : undefined;
    this.stale = before && { target: this.target!, values: before };
    this.index.useCoordinates(coordinates);
    this.backlog = labeled.map(([w]) => w).reverse(); // taken from the end: earlier labels go in first and win ties
    this.version++;
    return true;
  }

  /** relearn() once the labels have grown enough since the metric was last learned. */
  relearnIfDue(): boolean {
    let labels = 0;
    for (const d of this.decisions.values()) if (d.kind === 'label') labels++;
    return labels >= this.relearnAt && this.relearn();
  }

  setTarget(label: string | undefined): void {
    this.target = label;
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
    if (d.how === 'random' || sampled) this.joinRandomSample(window);
    if (kind === 'label') {
      this.classOf[window] = this.classId(label);
      if (this.isKnown(window)) this.index?.add(window);
    }
    this.version++;
  }

  /** Takes back a decision (undo): the window is undecided again. */
  removeLabel(window: number): void {
    if (this.forget(window)) this.version++;
  }

  /** Per-window probability of the target (leave-one-out for labeled windows); undefined without model or target. */
  probabilities(): Float32Array | undefined {
    if (!this.index || this.target === undefined) return undefined;
    if (this.backlog.length > 0) return this.stale?.target === this.target ? this.stale.values : undefined;
    const cache = this.probabilityCache;
    if (cache && cache.version === this.version && cache.target === this.target) return cache.values;
    const values = targetProbabilities(this.index, this.classOf, this.classId(this.target), cache?.values);
    this.probabilityCache = { version: this.version, target: this.target, values };
    return values;
  }

  /** The next `count` clips to label, none of them in `exclude` (clips already queued). */
  next(count: number, exclude: ReadonlySet<number> = new Set()): Choice[] {
    // "likely" and "uncertain" mean nothing until the target has at least one labeled example: explore until then
    const p = this.targetSeen() ? this.probabilities() : undefined;
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
    if (!this.index || !this.ready || !this.isKnown(window)) return [];
    const taken = new Set(exclude).add(window);
    const scores = similarity(this.index.vectors, this.index.dims, window, this.work.scores);
    const chosen = selectTopK(scores, count, this.undecided(taken), this.spacing, this.nearby(taken), this.rand, this.work);
    const p = this.probabilities();
    return chosen.map((w) => {
      this.issued.set(w, 'similar');
      return { ...this.describe(w, 'similar', p), reason: `similar d=${Math.sqrt(-scores[w]).toFixed(2)}` };
    });
  }

  /** The recall estimate for the current target from the random arm's labels; undefined without a target. */
  estimate(goal: number): RecallEstimate | undefined {
    if (this.target === undefined) return undefined;
    // the model's recall is claimed only once every window has a vector: random labels elsewhere have no score yet
    const p = this.known ? undefined : this.probabilities();
    const target = this.classId(this.target);
    const labeled = [...this.decisions]
      .filter(([, d]) => d.kind === 'label')
      .map(([w]) => ({ positive: this.classOf[w] === target, random: this.drawnAtRandom[w] === 1, flagged: p && p[w] >= FLAG_THRESHOLD }));
    return estimateFromLabels(labeled, this.windows, goal);
  }

  private forget(window: number): boolean {
    const d = this.decisions.get(window);
    if (!d) return false;
    this.decisions.delete(window);
    if (this.drawnAtRandom[window]) {
      this.drawnAtRandom[window] = 0;
      this.randomDrawn--;
    }
    if (this.classOf[window] >= 0) {
      this.classOf[window] = -1;
      this.index?.remove(window);
      if (this.backlog.length > 0) this.backlog = this.backlog.filter((w) => w !== window);
    }
    return true;
  }

  private targetSeen(): boolean {
    if (this.target === undefined) return false;
    const target = this.classId(this.target);
    for (const w of this.decisions.keys()) if (this.classOf[w] === target && this.isKnown(w)) return true;
    return false;
  }

  private classId(label: string): number {
    let id = this.classIds.get(label);
    if (id === undefined) {
      id = this.classIds.size;
      this.classIds.set(label, id);
    }
    return id;
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

  private undecided(taken: ReadonlySet<number>): Uint8Array {
    const open = this.work.eligible;
    if (this.known) open.set(this.known);
    else open.fill(1);
    for (const w of this.decisions.keys()) open[w] = 0;
    for (const w of taken) open[w] = 0;
    return open;
  }

  private nearby(taken: ReadonlySet<number>): number[] {
    return [...this.decisions.keys(), ...taken];
  }

  /**
   * A uniform draw over every window the random arm has not drawn before, labeled or not: leaving out the windows
   * other arms labeled would bias the sample against the target. A drawn window that is already decided joins the
   * random sample with the answer it has, and is not shown again.
   */
  private drawRandom(taken: ReadonlySet<number>): Choice | undefined {
    const isAvailable = (w: number) => !this.drawnAtRandom[w] && !taken.has(w);
    let count = this.windows - this.randomDrawn;
    for (const w of taken) if (!this.drawnAtRandom[w]) count--;
    for (;;) {
      const w = drawUniform(isAvailable, this.windows, count, this.rand);
      if (w < 0) return undefined;
      if (!this.decisions.has(w)) {
        this.issued.set(w, 'random');
        return { ...this.describe(w, 'random', this.probabilities(), count), reason: 'random' };
      }
      count--;
      this.joinRandomSample(w);
      this.onSampled?.(w);
    }
  }

  /** Counts a decided window in the random sample: the random strategy drew it. */
  joinRandomSample(window: number): void {
    if (this.drawnAtRandom[window]) return;
    this.drawnAtRandom[window] = 1;
    this.randomDrawn++;
  }

  private choice(window: number, arm: Exclude<Arm, 'random'>, p: Float32Array | undefined): Choice {
    this.issued.set(window, arm);
    const c = this.describe(window, arm, p);
    const shown = c.score === undefined ? '' : ` p=${c.score.toFixed(2)}`;
    return { ...c, reason: arm === 'likely' ? `likely ${this.target}${shown}` : `uncertain${shown}` };
  }

  private describe(window: number, how: How, p: Float32Array | undefined, randomPool?: number): Omit<Choice, 'reason'> {
    const pool = randomPool ?? this.windows - this.randomDrawn;
    return {
      window,
      how,
      strategy: this.strategy.name,
      score: p ? p[window] : undefined,
      modelVersion: this.modelVersion,
      drawProbability: this.drawnAtRandom[window] || pool <= 0 ? 0 : 1 / pool,
    };
  }
}

/** Windows either side of a chosen one that start less than SPACING_SECONDS away (at least the adjacent ones). */
export function spacingGap(clip: number): number {
  return Math.max(1, Math.ceil(SPACING_SECONDS / clip - 1e-9) - 1);
}
