import { labelsOf, type LabelRecord } from '../domain/labels.js';

/** A label set the first-run screen offers. */
export interface LabelSet {
  name: string;
  labels: string[];
}

/**
 * The label names a store's decisions use (imported or simulated ones included), most used first, ties by name:
 * the same order on every run, and the commonest labels get the digit keys.
 */
export function heldLabelNames(records: readonly Pick<LabelRecord, 'label' | 'labels' | 'kind'>[]): string[] {
  const counts = new Map<string, number>();
  for (const r of records) if (r.kind === 'label') for (const label of labelsOf(r)) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b)).map(([name]) => name);
}

/**
 * The sets to offer: the store's own labels first, then each preset with the store's other labels after its own,
 * so that choosing a preset never hides labels the store holds (a name differing only in case is the same label).
 */
export function labelOffers(held: readonly string[], presets: readonly LabelSet[]): LabelSet[] {
  const withHeld = presets.map((p) => {
    const known = new Set(p.labels.map((l) => l.toLowerCase()));
    const extra = held.filter((l) => !known.has(l.toLowerCase()));
    return { name: extra.length ? `${p.name} + this store's` : p.name, labels: [...p.labels, ...extra] };
  });
  return held.length ? [{ name: "This store's labels", labels: [...held] }, ...withHeld] : withHeld;
}
