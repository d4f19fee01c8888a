import type { WindowGrid } from '../domain/window-grid.js';
import type { LabeledRange } from './evaluate.js';

export interface WindowTruth {
  /** every label of the truth rows, in order of first appearance */
  labels: string[];
  /** per window, the index in `labels` of the label covering most of it; -1 where no row covers it */
  main: Int32Array;
  /** coverage[w * labels.length + l]: the share of window w that label l covers (overlapping rows of one label add up) */
  coverage?: Float64Array;
}

/**
 * How the simulated listener answers a clip: `dominant`, the one label covering most of it (one sound per clip);
 * `present`, every label covering at least a share of it, as a person hunting music under speech would.
 */
export const ORACLES = ['dominant', 'present'] as const;
export type OracleName = (typeof ORACLES)[number];
export const DEFAULT_PRESENT_SHARE = 0.3;

export interface Oracle {
  name: OracleName;
  /** for `present`: the share of the clip a label must cover */
  presentShare?: number;
}

/**
 * The labels the oracle gives window w, as indices into truth.labels, the dominant one first (then by coverage);
 * empty where no truth row covers the window. `present` always includes the dominant label, so a clip of three
 * labels at a quarter each still gets one.
 */
export function oracleAnswer(truth: WindowTruth, w: number, oracle: Oracle = { name: 'dominant' }): number[] {
  const main = truth.main[w];
  if (main < 0) return [];
  if (oracle.name === 'dominant' || !truth.coverage) return [main];
  const n = truth.labels.length;
  const share = oracle.presentShare ?? DEFAULT_PRESENT_SHARE;
  const cover = (l: number) => truth.coverage![w * n + l];
  const others = [...Array(n).keys()].filter((l) => l !== main && cover(l) >= share - 1e-6).sort((a, b) => cover(b) - cover(a) || a - b);
  return [main, ...others];
}

/**
 * The one answer a listener would give for each window: the truth label covering most of it. Overlapping rows
 * (a music bed under speech) compete by how much of the window they cover; an exact tie goes to the label that
 * appears first in the truth. Rows for files outside the collection are ignored.
 */
export function windowTruth(rows: readonly LabeledRange[], files: readonly { path: string }[], grid: WindowGrid): WindowTruth {
  const labels = [...new Set(rows.map((r) => r.label))];
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const fileIndex = new Map(files.map((f, i) => [f.path, i]));
  const coverage = new Float64Array(grid.count * labels.length);
  for (const row of rows) {
    const f = fileIndex.get(row.file);
    if (f === undefined) continue;
    const l = labelIndex.get(row.label)!;
    const first = grid.offsets[f] + Math.max(0, Math.floor(row.start / grid.clip));
    for (let w = first; w < grid.offsets[f + 1]; w++) {
      const start = grid.startOf(w);
      if (start >= row.end) break;
      const overlap = Math.min(row.end, start + grid.durationOf(w)) - Math.max(row.start, start);
      if (overlap > 0) coverage[w * labels.length + l] += overlap / grid.durationOf(w);
    }
  }
  const main = new Int32Array(grid.count).fill(-1);
  for (let w = 0; w < grid.count; w++) {
    let best = 0;
    for (let l = 0; l < labels.length; l++) {
      const c = coverage[w * labels.length + l];
      if (c > best + 1e-9) {
        best = c;
        main[w] = l;
      }
    }
  }
  return { labels, main, coverage };
}
