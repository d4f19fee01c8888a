import type { LabeledExample } from './model.js';

/** The model's opinion of every window of a collection, one probability array per label. */
export interface CollectionScores {
  /** labels with at least one labeled clip, in the order first labeled */
  labels: string[];
  /** probabilities[i][w]: how likely window w is labels[i] */
  probabilities: Float32Array[];
  /** files whose audio could not be decoded: their windows have no scores */
  failed: Map<number, string>;
  /** the labeled windows the model learned from */
  labeled: LabeledWindowOf[];
  /** heldOut[i][j]: how likely labeled[j] is labels[i] by the other labels' votes alone (leave-one-out) */
  heldOut: Float32Array[];
}

/** a labeled window, and whether (and with what chance) the random arm drew it */
export type LabeledWindowOf = LabeledExample;
