import type { LabelRecord } from '../domain/labels.js';
import type { StoreConfig } from './schema.js';

export type NewRecord = Omit<LabelRecord, 'id' | 'time'> & { time?: string };

/**
 * The one way into a store's labels and config. A process has one owner of it; everything else (the screen, the
 * learner) sends it events. Each mutation resolves once it is on disk; on failure nothing changes and it rejects.
 */
export interface LabelRepository {
  readonly config: StoreConfig;
  readonly records: readonly LabelRecord[];
  add(rec: NewRecord): Promise<LabelRecord>;
  addMany(recs: NewRecord[]): Promise<LabelRecord[]>;
  /** takes a decision back (undo) */
  remove(id: string): Promise<void>;
  /** a random draw landed on this decision: its answer joins the random sample (LabelRecord.sampled) */
  markSampled(id: string): Promise<void>;
  setConfig(patch: Partial<StoreConfig>): Promise<void>;
}
