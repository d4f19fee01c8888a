import type { How } from './strategies.js';

/** One clip the learner puts in the queue, with everything the store keeps about why it was shown. */
export interface Choice {
  window: number;
  how: How;
  /** for the screen: 'random', 'likely Music p=0.83', 'uncertain p=0.48', 'similar d=2.10' */
  reason: string;
  /** the strategy in force ('mixed', 'random', ...) */
  strategy: string;
  /** the model's probability that the clip is the target, when there is a model and a target */
  score?: number;
  /** how many label changes the model had seen; 0 before there is a model */
  modelVersion: number;
  /**
   * the probability that the random arm would draw this window on its next draw: 1 / windows it has not drawn yet
   * (0 for a window it has already drawn)
   */
  drawProbability: number;
  /** the random arm drew it with chances the model weighted (weighted-draw.ts): drawProbability is that draw's */
  weighted?: boolean;
}
