/** Turning one recording's per-window probabilities for one label into time ranges. */

export interface TimeRange {
  /** seconds from the start of the file */
  start: number;
  end: number;
}

export interface ScoredRange extends TimeRange {
  /** mean of the raw (unsmoothed) window probabilities inside the range, gap windows included */
  meanScore: number;
  /** the strongest single window inside the range */
  maxScore: number;
  /** where that strongest window starts, in seconds: the one to listen to when reviewing the range */
  peak: number;
}

/** Windows [from, to) of one file. */
export interface Run {
  from: number;
  to: number;
}

export interface RangeOptions {
  /** a smoothed probability at or above this marks a window as the label */
  threshold: number;
  /** seconds of the centred moving average applied before thresholding */
  smooth: number;
  /** gaps between two ranges shorter than this many seconds are filled */
  mergeGap: number;
  /** ranges shorter than this many seconds are dropped */
  minDuration: number;
}

/**
 * Defaults for "find every X in the archive", where a missed stretch costs more than a false one to skip past.
 * threshold 0.4: below an even split, so a window where the label is the plurality but not the majority of its
 * neighbours still counts. smooth 3 s: one window either side at 1 s clips, enough to silence a lone stray window
 * without swallowing a 2–3 s event. merge-gap 2 s: a 1 s dip inside a long event does not split it in two.
 * min-duration 1 s: a range must last a second to be worth a listen; with 1 s clips that only drops a recording
 * shorter than a second, with shorter clips it drops lone fragments.
 */
export const DEFAULT_RANGE_OPTIONS: Readonly<RangeOptions> = { threshold: 0.4, smooth: 3, mergeGap: 2, minDuration: 1 };

const EPS = 1e-9;

/**
 * Mean over a window of `width` values around each index: i - floor((width-1)/2) .. i + ceil((width-1)/2).
 * Near the ends only the values that exist are averaged, so an event at the very start of a file is not diluted.
 */
export function movingAverage(values: ArrayLike<number>, width: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const { before, after } = averagingSpan(width);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + values[i];
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - before);
    const hi = Math.min(n, i + after + 1);
    out[i] = (prefix[hi] - prefix[lo]) / (hi - lo);
  }
  return out;
}

/** How many values before and after an index the moving average of `width` takes in. */
function averagingSpan(width: number): { before: number; after: number } {
  const before = Math.floor((Math.max(1, width) - 1) / 2);
  return { before, after: Math.max(1, width) - 1 - before };
}

/**
 * movingAverage(values, width)[index] with values[index] replaced by `own`: what the smoothing would give a window
 * if its own score were another, such as the model's vote without the window's own label.
 */
export function averageWithOwn(values: ArrayLike<number>, width: number, index: number, own: number): number {
  const { before, after } = averagingSpan(width);
  const lo = Math.max(0, index - before);
  const hi = Math.min(values.length, index + after + 1);
  let sum = own;
  for (let i = lo; i < hi; i++) if (i !== index) sum += values[i];
  return sum / (hi - lo);
}

/** The odd number of windows closest to `seconds` (ties round up), so the average stays centred. */
export function smoothingWidth(seconds: number, clip: number): number {
  if (!(seconds > clip)) return 1;
  return 2 * Math.round((seconds / clip - 1) / 2) + 1;
}

/** A smoothed score at the threshold counts, whatever the rounding of the average. */
export function reaches(value: number, threshold: number): boolean {
  return value >= threshold - EPS;
}

/** Maximal runs of windows whose value is at least `threshold`. */
export function runsAtOrAbove(values: ArrayLike<number>, threshold: number): Run[] {
  const runs: Run[] = [];
  let from = -1;
  for (let i = 0; i <= values.length; i++) {
    const on = i < values.length && reaches(values[i], threshold);
    if (on && from < 0) from = i;
    else if (!on && from >= 0) {
      runs.push({ from, to: i });
      from = -1;
    }
  }
  return runs;
}

/** Joins neighbouring runs whose gap lasts less than `maxGap` seconds. */
export function bridgeGaps(runs: readonly Run[], clip: number, maxGap: number): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    if (last && (run.from - last.to) * clip < maxGap - EPS) last.to = run.to;
    else out.push({ ...run });
  }
  return out;
}

/** A run's time span, its last window cut at the end of the file. */
export function runToTime(run: Run, clip: number, fileDuration: number): TimeRange {
  return { start: run.from * clip, end: Math.min(run.to * clip, fileDuration) };
}

/** smooth -> threshold -> fill short gaps -> drop short ranges, scored on the raw probabilities. */
export function detectRanges(
  probabilities: ArrayLike<number>,
  clip: number,
  fileDuration: number,
  opts: RangeOptions = DEFAULT_RANGE_OPTIONS,
): ScoredRange[] {
  return scoreRuns(probabilities, averagedRuns(probabilities, clip, opts), clip, fileDuration, opts.minDuration);
}

/** smooth -> threshold -> fill short gaps, as runs of windows. */
export function averagedRuns(probabilities: ArrayLike<number>, clip: number, opts: RangeOptions): Run[] {
  const smoothed = movingAverage(probabilities, smoothingWidth(opts.smooth, clip));
  return bridgeGaps(runsAtOrAbove(smoothed, opts.threshold), clip, opts.mergeGap);
}

/** Runs as time ranges, those shorter than `minDuration` seconds dropped, each scored on the raw probabilities. */
export function scoreRuns(probabilities: ArrayLike<number>, runs: readonly Run[], clip: number, fileDuration: number, minDuration: number): ScoredRange[] {
  const out: ScoredRange[] = [];
  for (const run of runs) {
    const span = runToTime(run, clip, fileDuration);
    if (span.end - span.start < minDuration - EPS) continue;
    let sum = 0;
    let strongest = run.from;
    for (let i = run.from; i < run.to; i++) {
      sum += probabilities[i];
      if (probabilities[i] > probabilities[strongest]) strongest = i;
    }
    out.push({ ...span, meanScore: sum / (run.to - run.from), maxScore: probabilities[strongest], peak: strongest * clip });
  }
  return out;
}

/**
 * The smoothing of the HiPSTAS / Audio Tagging Toolkit batch classifiers, for comparison: hard per-window
 * decisions (is this window's most likely class the label?), a 10-window moving average, rounded (half up, as
 * Python 2's round did), and runs of at least 5 windows kept. attk.smooth weighted its 10 windows with a Hann
 * window by default; a flat mean is used here, which is the "rolling average" the method is usually described by.
 */
export const HIPSTAS_WINDOW = 10;
export const HIPSTAS_MIN_FRAMES = 5;

export function hipstasRanges(isLabel: ArrayLike<boolean>, clip: number, fileDuration: number): TimeRange[] {
  const hard = Float64Array.from({ length: isLabel.length }, (_, i) => (isLabel[i] ? 1 : 0));
  return runsAtOrAbove(movingAverage(hard, HIPSTAS_WINDOW), 0.5)
    .filter((run) => run.to - run.from >= HIPSTAS_MIN_FRAMES)
    .map((run) => runToTime(run, clip, fileDuration));
}

/** The hard per-window decision HiPSTAS-style smoothing starts from: each window's most likely label, -1 if none. */
export function mostLikelyLabel(probabilities: readonly Float32Array[], windows: number): Int32Array {
  const best = new Int32Array(windows).fill(-1);
  for (let w = 0; w < windows; w++) {
    let top = 0;
    probabilities.forEach((p, i) => {
      if (p[w] > top) {
        top = p[w];
        best[w] = i;
      }
    });
  }
  return best;
}
