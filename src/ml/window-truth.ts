import type { WindowGrid } from '../domain/window-grid.js';
import type { LabeledRange } from './evaluate.js';

export interface WindowTruth {
  /** every label of the truth rows, in order of first appearance */
  labels: string[];
  /** per window, the index in `labels` of the label covering most of it; -1 where no row covers it */
  main: Int32Array;
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
      if (overlap > 0) coverage[w * labels.length + l] += overlap;
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
  return { labels, main };
}
