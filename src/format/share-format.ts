import type { Interval } from '../ml/recall-estimate.js';

/** 0.834 -> "83%" */
export const formatPercent = (x: number): string => `${Math.round(x * 100)}%`;

/** An estimated share with its interval: "83% (70%–91%)". */
export const formatShare = (i: Interval): string => `${formatPercent(i.value)} (${formatPercent(i.low)}–${formatPercent(i.high)})`;

/** A count of clips in a few characters: 950, 36k, 2.0 M, 36 M. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 999_500) return `${Math.round(n / 1000)}k`; // 999,600 is "1.0 M", not "1000k"
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} M`;
}

/** A share that may be small, with a decimal below 10%: "5.6%", "55%". */
export const formatSmallPercent = (x: number): string => (x < 0.1 ? `${(x * 100).toFixed(1)}%` : formatPercent(x));
