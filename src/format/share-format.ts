import type { Interval } from '../ml/recall-estimate.js';

/** 0.834 -> "83%" */
export const formatPercent = (x: number): string => `${Math.round(x * 100)}%`;

/** An estimated share with its interval: "83% (70%–91%)". */
export const formatShare = (i: Interval): string => `${formatPercent(i.value)} (${formatPercent(i.low)}–${formatPercent(i.high)})`;
