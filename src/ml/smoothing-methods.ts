/** The ways apply turns one label's window probabilities into runs of the label: the one table that --smoothing's help, validation and dispatch read. */
import { decodeEvents, learnDurations } from './event-smoothing.js';
import { averagedRuns, averageWithOwn, reaches, smoothingWidth, type RangeOptions, type Run } from './ranges.js';

/** A method fitted to one label over a collection. */
export interface LabelSmoothing {
  /** the label's runs of windows in one recording */
  runs(probabilities: ArrayLike<number>): Run[];
  /**
   * Whether window `index` of a recording would be in a run if its own probability were `own` (its neighbours as
   * they are): how apply's estimate judges a labeled clip by the vote it gets without its own label.
   */
  marks(probabilities: ArrayLike<number>, index: number, own: number): boolean;
}

export interface SmoothingMethod {
  /** for --help */
  description: string;
  /** learns what the method needs from every recording of one label */
  fit(recordings: readonly ArrayLike<number>[], clip: number, opts: RangeOptions): LabelSmoothing;
}

export const SMOOTHING_METHODS = {
  events: {
    description: 'a label/not-label model whose event and gap lengths are learned from the scores (--smooth, --merge-gap unused)',
    fit(recordings, _clip, opts) {
      const durations = learnDurations(recordings, opts);
      const runs = (p: ArrayLike<number>) => decodeEvents(p, durations, opts);
      return {
        runs,
        marks(p, index, own) {
          const changed = Float64Array.from(p);
          changed[index] = own;
          return runs(changed).some((r) => r.from <= index && index < r.to);
        },
      };
    },
  },
  average: {
    description: 'moving average (--smooth), --threshold, gaps under --merge-gap filled',
    fit(_recordings, clip, opts) {
      const width = smoothingWidth(opts.smooth, clip);
      return {
        runs: (p) => averagedRuns(p, clip, opts),
        // gap filling is left out: the estimate describes the smoothed, thresholded clips
        marks: (p, index, own) => reaches(averageWithOwn(p, width, index, own), opts.threshold),
      };
    },
  },
} satisfies Record<string, SmoothingMethod>;

export type SmoothingName = keyof typeof SMOOTHING_METHODS;
export const SMOOTHING_NAMES = Object.keys(SMOOTHING_METHODS) as SmoothingName[];

/**
 * events: after 200 labels hunting music (8 seeds), music came out as 34-38 ranges for 34 events on the shared dev
 * corpus (event precision 0.61-0.84 -> 0.92-1.0) at window recall 0.93-0.97 (average: 0.94-0.98), and as 40-44 for 41
 * on generated episodes hark had never seen (0.87-0.93 -> 0.93-1.0, window recall 0.99-1.0 both).
 */
export const DEFAULT_SMOOTHING: SmoothingName = 'events';

/** Range options with the method that reads them, as apply records them. */
export interface SmoothingOptions extends RangeOptions {
  smoothing: SmoothingName;
}
