/**
 * Standardised values in steps of 1/16 of a standard deviation, stored as Int8: ±7.9 sd is representable and the
 * rounding error (0.018 sd on average) is far below the spread that separates classes, while 100 hours of 59-dim
 * vectors shrink from 85 MB to 21 MB.
 */
export const QUANTUM = 1 / 16;

/** Rounds z-scored values to the nearest QUANTUM, clamped to the Int8 range. */
export function quantize(z: ArrayLike<number>, out: Int8Array = new Int8Array(z.length)): Int8Array {
  for (let i = 0; i < z.length; i++) out[i] = Math.max(-127, Math.min(127, Math.round(z[i] / QUANTUM)));
  return out;
}
