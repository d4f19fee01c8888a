import { Z95, type Interval } from './interval.js';

/** Wilson score interval (95%) for `hits` successes in `n` trials. */
export function wilson(hits: number, n: number): Interval {
  if (n <= 0) return { value: 0, low: 0, high: 1 };
  const p = hits / n;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { value: p, low: hits === 0 ? 0 : centre - half, high: hits === n ? 1 : centre + half };
}
