/** One annotator's label for one clip. */
export interface Coding {
  item: string;
  coder: string;
  label: string;
}

export interface PairAgreement {
  coders: [string, string];
  /** clips both labeled */
  items: number;
  /** share of those with the same label */
  observed: number;
  /** Cohen's kappa; null when chance alone predicts full agreement (both used one label only) */
  kappa: number | null;
}

export interface Agreement {
  /** clips labeled by two annotators or more */
  doubleCoded: number;
  pairs: PairAgreement[];
  /** Krippendorff's alpha over every annotator (nominal); null with no double-coded clip or a single label in use */
  alpha: number | null;
  /** confusion[a][b]: how often one annotator said a where another said b, over every pair on every clip */
  confusion: Record<string, Record<string, number>>;
}

/** Each item's coders and their last label for it. */
function codersByItem(codings: readonly Coding[]): Map<string, Map<string, string>> {
  const byItem = new Map<string, Map<string, string>>();
  for (const c of codings) {
    const coders = byItem.get(c.item) ?? new Map<string, string>();
    coders.set(c.coder, c.label);
    byItem.set(c.item, coders);
  }
  return byItem;
}

/** The items annotators labeled differently, with who said what. */
export function disagreements(codings: readonly Coding[]): { item: string; labels: Map<string, string> }[] {
  return [...codersByItem(codings)]
    .filter(([, coders]) => new Set(coders.values()).size > 1)
    .map(([item, labels]) => ({ item, labels }));
}

/** Agreement between annotators, as annotation projects report it. Each coder's last label for an item counts. */
export function agreement(codings: readonly Coding[]): Agreement {
  const shared = [...codersByItem(codings).values()].filter((coders) => coders.size >= 2);
  const coders = [...new Set(codings.map((c) => c.coder))].sort();
  const pairs: PairAgreement[] = [];
  for (let i = 0; i < coders.length; i++) {
    for (let j = i + 1; j < coders.length; j++) {
      const both = shared.filter((m) => m.has(coders[i]) && m.has(coders[j])).map((m) => [m.get(coders[i])!, m.get(coders[j])!] as const);
      if (both.length) pairs.push({ coders: [coders[i], coders[j]], items: both.length, ...cohensKappa(both) });
    }
  }
  return { doubleCoded: shared.length, pairs, alpha: krippendorffAlpha(shared.map((m) => [...m.values()])), confusion: confusion(shared) };
}

function cohensKappa(both: readonly (readonly [string, string])[]): { observed: number; kappa: number | null } {
  const n = both.length;
  const first = new Map<string, number>();
  const second = new Map<string, number>();
  let agree = 0;
  for (const [a, b] of both) {
    if (a === b) agree++;
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
  }
  let chance = 0;
  for (const [label, count] of first) chance += (count / n) * ((second.get(label) ?? 0) / n);
  const observed = agree / n;
  return { observed, kappa: chance === 1 ? null : (observed - chance) / (1 - chance) };
}

/** Nominal alpha from the coincidence matrix: 1 - (n - 1) * disagreeing pairs / pairs of different values expected. */
function krippendorffAlpha(units: readonly (readonly string[])[]): number | null {
  const totals = new Map<string, number>();
  let observedDisagreement = 0;
  for (const values of units) {
    const m = values.length;
    for (let i = 0; i < m; i++) {
      totals.set(values[i], (totals.get(values[i]) ?? 0) + 1);
      for (let j = 0; j < m; j++) if (i !== j && values[i] !== values[j]) observedDisagreement += 1 / (m - 1);
    }
  }
  const n = [...totals.values()].reduce((s, x) => s + x, 0);
  let expectedPairs = 0;
  for (const [a, na] of totals) for (const [b, nb] of totals) if (a !== b) expectedPairs += na * nb;
  return expectedPairs === 0 ? null : 1 - ((n - 1) * observedDisagreement) / expectedPairs;
}

function confusion(units: readonly Map<string, string>[]): Record<string, Record<string, number>> {
  const table: Record<string, Record<string, number>> = {};
  for (const coders of units) {
    const values = [...coders.values()];
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values.length; j++) {
        if (i === j) continue;
        table[values[i]] ??= {};
        table[values[i]][values[j]] = (table[values[i]][values[j]] ?? 0) + 1;
      }
    }
  }
  return table;
}
