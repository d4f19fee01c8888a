/**
 * Share of a weighted draw spread evenly over the undecided windows: every window keeps at least this much over
 * their number as its chance, so a target the model scores low can still be drawn, and one draw of it cannot swing
 * the estimate by more than undecided / UNIFORM_SHARE windows.
 */
export const UNIFORM_SHARE = 0.3;

/** What a random draw was: the window, and the chance it had of being drawn, fixed before the draw was made. */
export interface Draw {
  window: number;
  /** the chance of this window on this draw, among the windows that could be drawn */
  probability: number;
}

/**
 * One window drawn among those `isAvailable` accepts, with chance UNIFORM_SHARE / (windows available) plus the rest
 * in proportion to sqrt(p), p the model's probability of the target: where y is 0 or 1 with chance p, sqrt(p) is the
 * share that makes a Hansen–Hurwitz estimate of the target's total vary least. Undefined when none is available.
 */
export function drawWeighted(p: ArrayLike<number>, isAvailable: (w: number) => boolean, windows: number, rand: () => number): Draw | undefined {
  let count = 0;
  let sum = 0;
  for (let w = 0; w < windows; w++) {
    if (!isAvailable(w)) continue;
    count++;
    sum += Math.sqrt(p[w]);
  }
  if (count === 0) return undefined;
  const even = sum > 0 ? UNIFORM_SHARE / count : 1 / count;
  const byScore = sum > 0 ? (1 - UNIFORM_SHARE) / sum : 0;
  const chance = (w: number) => even + byScore * Math.sqrt(p[w]);
  let left = rand();
  let last = -1;
  for (let w = 0; w < windows; w++) {
    if (!isAvailable(w)) continue;
    last = w;
    left -= chance(w);
    if (left < 0) break;
  }
  return { window: last, probability: chance(last) };
}
