import type { LabelSet } from './label-sets.js';

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

export interface LabeledWindowOf {
  window: number;
  /** its label, or labels when the clip holds more than one sound */
  label: LabelSet;
  /** in the uniform random sample, so it may stand for the collection in an estimate */
  random: boolean;
}
