import type { LabelRecord } from '../domain/labels.js';
import type { StoreConfig } from './schema.js';

/**
 * One line of a journal. A decision is added once and never edited: undo appends a retraction, joining the random
 * sample appends a mark, and a settings change appends the keys it changed.
 */
export type JournalEntry =
  | { add: LabelRecord }
  | { retract: string; time: string }
  | { sampled: string }
  | { config: Partial<StoreConfig>; time: string };

export interface StoreView {
  config: StoreConfig;
  records: LabelRecord[];
}

export const emptyConfig = (): StoreConfig => ({ labels: [] });

/**
 * The labels and settings that journals add up to. Retractions and marks may name a decision in another journal, so
 * they are applied after every addition; settings changes apply in the order they were made, across journals.
 * Decisions keep their journal's order; with several journals they are ordered by time (a stable sort).
 */
export function foldJournals(journals: readonly (readonly JournalEntry[])[], base: StoreConfig = emptyConfig()): StoreView {
  let records: LabelRecord[] = [];
  const retracted = new Set<string>();
  const sampled = new Set<string>();
  const changes: { config: Partial<StoreConfig>; time: string }[] = [];
  for (const entries of journals) {
    for (const e of entries) {
      if ('add' in e) records.push(e.add);
      else if ('retract' in e) retracted.add(e.retract);
      else if ('sampled' in e) sampled.add(e.sampled);
      else changes.push(e);
    }
  }
  if (retracted.size) records = records.filter((r) => !retracted.has(r.id));
  if (sampled.size) records = records.map((r) => (sampled.has(r.id) && !r.sampled ? { ...r, sampled: true } : r));
  if (journals.length > 1) {
    records.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    changes.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }
  const config = changes.reduce<StoreConfig>((c, e) => ({ ...c, ...e.config }), base);
  return { config, records };
}

/** A journal rewritten without what undo and marks left behind: its live decisions and its settings changes. */
export function compactJournal(entries: readonly JournalEntry[]): JournalEntry[] {
  const own = foldJournals([entries]);
  return [...entries.filter((e) => 'config' in e), ...own.records.map((add) => ({ add }))];
}

/** Whether rewriting pays: more than a quarter of a journal of some size is retractions, marks and retracted decisions. */
export function worthCompacting(entries: readonly JournalEntry[]): boolean {
  let waste = 0;
  for (const e of entries) waste += 'retract' in e ? 2 : 'sampled' in e ? 1 : 0;
  return entries.length >= 1000 && waste > entries.length / 4;
}
