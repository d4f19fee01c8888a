/** An estimate and its 95% interval. */
export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** The normal distribution's 97.5% quantile: a 95% interval is this many standard errors either side. */
export const Z95 = 1.959963984540054;
