import type { ExtractProgress } from '../audio/features/extract-pool.js';
import type { Examples } from '../collection/examples.js';
import type { PriorDecision } from '../collection/open-collection.js';
import type { DecisionKind } from '../domain/labels.js';
import type { LabelSet } from '../ml/label-sets.js';
import type { MediaFile } from '../domain/media.js';
import type { WindowPool } from '../domain/window-pool.js';
import type { Choice } from '../ml/choice.js';
import type { RecallEstimate } from '../ml/recall-estimate.js';

export interface LearnerStatus {
  extraction: ExtractProgress;
  /** files whose audio could not be decoded for features (their windows are never ranked well) */
  failed: { path: string; reason: string }[];
  /** the model ranks clips: features are ready and every label so far is in; until then the queue is random */
  ready: boolean;
  /** while extraction goes on, the share of the audio the model already ranks; undefined once it ranks all */
  coverage?: number;
  modelVersion: number;
  /** clips not labeled, skipped or marked unsure yet (queued ones included): few means labeling is nearly done */
  remaining?: number;
  /** when the model last took in a label change, and how long updating it and re-ranking every window took */
  lastRetrain?: { at: string; ms: number };
  target?: string;
  /** the model ranks a uniform random pool of this many of the collection's windows (labeling-pool.ts) */
  pool?: { windows: number; population: number };
  estimate?: RecallEstimate;
  /** when the estimate was computed, and since when newer labels have waited for a new one (computed at a pace) */
  estimatedAt?: string;
  estimateStaleSince?: string;
  /** something went wrong in the background; labeling goes on with random clips */
  error?: string;
}

/** Before anything has happened: nothing extracted, no model. */
export function initialStatus(files: readonly MediaFile[], target?: string): LearnerStatus {
  return {
    extraction: { filesDone: 0, filesTotal: files.length, secondsDone: 0, secondsTotal: files.reduce((s, f) => s + f.duration, 0), failed: 0 },
    failed: [],
    ready: false,
    modelVersion: 0,
    target,
  };
}

/** Everything the learner thread needs, as plain data. */
export interface LearnerSetup {
  files: MediaFile[];
  clip: number;
  cacheDir: string;
  strategy: string;
  seed: number;
  target?: string;
  recallGoal: number;
  decisions: PriorDecision[];
  /** a large collection's pool: the only windows ranked, and the only vectors read */
  pool?: WindowPool;
  /** examples of the target given with hark label --example: their nearest windows are queued first */
  examples?: Examples;
  /** how long extraction runs before the model ranks the files done so far (collectionVectors' partialAfterMs) */
  partialAfterMs?: number;
}

/** A request the thread answers with choices (ChoicesReply, same id). */
export type LearnerQuestion =
  | { type: 'next'; count: number; exclude: number[] }
  | { type: 'similar'; window: number; count: number; exclude: number[] };

export type LearnerRequest =
  | { type: 'start' }
  | { type: 'label'; window: number; label: LabelSet; kind: DecisionKind; how?: string }
  | { type: 'unlabel'; window: number }
  | { type: 'target'; label?: string }
  | (LearnerQuestion & { id: number })
  | { type: 'close' };

export type ChoicesReply = { type: 'choices'; id: number; choices: Choice[] };

/** What the thread says unasked. */
export type LearnerEvent =
  | { type: 'status'; status: LearnerStatus }
  /** a random draw landed on this decided window: its answer joins the random sample (LabelRecord.sampled) */
  | { type: 'sampled'; window: number };

export type LearnerReply = ChoicesReply | LearnerEvent;
