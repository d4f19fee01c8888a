import { drawUniform } from './selectors.js';

/**
 * The random arm's uniform sample of the collection: which windows it has drawn, and the draws themselves. Every
 * window counts, labeled or not: leaving out the windows other arms labeled would bias the sample against the
 * target. Its labels are the only unbiased sample a recall estimate can come from.
 */
export class RandomSample {
  private readonly drawn: Uint8Array;
  private drawnCount = 0;

  constructor(readonly windows: number) {
    this.drawn = new Uint8Array(windows);
  }

  has(window: number): boolean {
    return this.drawn[window] === 1;
  }

  /** Windows not drawn yet: the pool the next draw comes from. */
  get pool(): number {
    return this.windows - this.drawnCount;
  }

  /** Counts a window in the sample: the random arm drew it. */
  join(window: number): void {
    if (this.drawn[window]) return;
    this.drawn[window] = 1;
    this.drawnCount++;
  }

  /** Takes a window out of the sample (its decision was undone). */
  leave(window: number): void {
    if (!this.drawn[window]) return;
    this.drawn[window] = 0;
    this.drawnCount--;
  }

  /**
   * A uniform draw over every window not drawn before and not in `taken`. A drawn window that is already decided
   * joins the sample with the answer it has (`onJoin` is told) and the draw goes on; the first undecided one is
   * returned with the size of the pool it was drawn from, or undefined when every window has been drawn.
   */
  draw(taken: ReadonlySet<number>, isDecided: (w: number) => boolean, rand: () => number, onJoin?: (w: number) => void): { window: number; pool: number } | undefined {
    const isAvailable = (w: number) => !this.drawn[w] && !taken.has(w);
    let pool = this.pool;
    for (const w of taken) if (!this.drawn[w]) pool--;
    for (;;) {
      const w = drawUniform(isAvailable, this.windows, pool, rand);
      if (w < 0) return undefined;
      if (!isDecided(w)) return { window: w, pool };
      pool--;
      this.join(w);
      onJoin?.(w);
    }
  }

  /** The chance the next draw from a pool of `pool` windows gives `window`: 0 once it has been drawn. */
  drawProbability(window: number, pool = this.pool): number {
    return this.drawn[window] || pool <= 0 ? 0 : 1 / pool;
  }
}
