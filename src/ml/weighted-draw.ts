/**
 * Share of a weighted draw spread evenly over the undecided windows: every window keeps at least this much over
 * their number as its chance, so a target the model scores low can still be drawn, and one draw of it cannot swing
 * the estimate by more than undecided / UNIFORM_SHARE windows.
 */
export const UNIFORM_SHARE = 0.3;

/**
 * Windows per block whose weights and count are kept summed: a draw walks the blocks, then one block's windows, so
 * it costs about twice the square root of the collection's size (a million windows: about 2,000 steps, not two
 * passes over a million), and the sums need no more memory than a few kilobytes.
 */
const BLOCK = 1024;

/** What a random draw was: the window, and the chance it had of being drawn, fixed before the draw was made. */
export interface Draw {
  window: number;
  /** the chance of this window on this draw, among the windows that could be drawn */
  probability: number;
}

/**
 * Draws windows with chance UNIFORM_SHARE / (windows available) plus the rest in proportion to sqrt(p), p the
 * model's probability of the target: where y is 0 or 1 with chance p, sqrt(p) is the share that makes a
 * Hansen–Hurwitz estimate of the target's total vary least. Built in one pass for one set of probabilities (which
 * must not change while it is used); after that, taking a window out or putting it back and each draw cost a few
 * thousand steps, whatever the collection's size.
 */
export class WeightedDraws {
  private readonly blockWeight: Float64Array;
  private readonly blockCount: Int32Array;

  /** `available` marks the windows that may be drawn (1); it becomes this object's own and is changed by it. */
  constructor(
    private readonly p: ArrayLike<number>,
    private readonly available: Uint8Array,
  ) {
    const blocks = Math.ceil(available.length / BLOCK);
    this.blockWeight = new Float64Array(blocks);
    this.blockCount = new Int32Array(blocks);
    for (let b = 0; b < blocks; b++) this.sumBlock(b);
  }

  isAvailable(window: number): boolean {
    return this.available[window] === 1;
  }

  /** Marks a window as drawable or not (decided, or queued already). */
  setAvailable(window: number, available: boolean): void {
    if (this.isAvailable(window) === available) return;
    this.available[window] = available ? 1 : 0;
    // summed again, not adjusted, so no rounding builds up over many changes
    this.sumBlock(Math.floor(window / BLOCK));
  }

  /** One window, with its chance; undefined when none is available. One number from `rand` per draw. */
  draw(rand: () => number): Draw | undefined {
    const { count, sum } = this.totals();
    if (count === 0) return undefined;
    const r = rand();
    const even = sum > 0 ? UNIFORM_SHARE : 1;
    const window = r < even ? this.nthAvailable(Math.floor((r / even) * count)) : this.byWeight(((r - even) / (1 - even)) * sum);
    const chance = sum > 0 ? UNIFORM_SHARE / count + ((1 - UNIFORM_SHARE) * Math.sqrt(this.p[window])) / sum : 1 / count;
    return { window, probability: chance };
  }

  private sumBlock(b: number): void {
    let weight = 0;
    let count = 0;
    for (let w = b * BLOCK, end = Math.min(this.available.length, w + BLOCK); w < end; w++) {
      if (this.available[w] === 0) continue;
      weight += Math.sqrt(this.p[w]);
      count++;
    }
    this.blockWeight[b] = weight;
    this.blockCount[b] = count;
  }

  private totals(): { count: number; sum: number } {
    let count = 0;
    let sum = 0;
    for (let b = 0; b < this.blockCount.length; b++) {
      count += this.blockCount[b];
      sum += this.blockWeight[b];
    }
    return { count, sum };
  }

  /** The available window with `rank` available windows before it (0 <= rank < count). */
  private nthAvailable(rank: number): number {
    let left = rank;
    let b = 0;
    while (left >= this.blockCount[b]) left -= this.blockCount[b++];
    for (let w = b * BLOCK; ; w++) if (this.available[w] === 1 && left-- === 0) return w;
  }

  /** The available window where the running sum of sqrt(p) passes `x` (0 <= x < the sum of all). */
  private byWeight(x: number): number {
    let last = this.blockWeight.length - 1;
    while (this.blockWeight[last] === 0) last--;
    let left = x;
    let b = 0;
    while (b < last && left >= this.blockWeight[b]) left -= this.blockWeight[b++];
    // rounding can leave x a hair past the block's last window of weight: that window is the one then
    let chosen = -1;
    for (let w = b * BLOCK, end = Math.min(this.available.length, w + BLOCK); w < end && left >= 0; w++) {
      if (this.available[w] === 0 || !(this.p[w] > 0)) continue;
      chosen = w;
      left -= Math.sqrt(this.p[w]);
    }
    return chosen;
  }
}
