import { parse } from 'csv-parse/sync';
import type { LabeledRange } from './evaluate.js';

const COLUMNS = ['file', 'start', 'end', 'label'] as const;

/**
 * Reads a `file,start,end,label` CSV (header required, column order free, other columns ignored): ground truth, or
 * the ranges `hark apply` wrote. Throws with the line number of the first row it cannot use.
 */
export function parseTruthCsv(text: string): LabeledRange[] {
  const lines: number[] = [];
  const rows = parse(text, {
    skip_empty_lines: true,
    trim: true,
    bom: true,
    relax_column_count: true,
    on_record: (record: string[], { lines: line }) => {
      lines.push(line);
      return record;
    },
  });
  if (rows.length === 0) return [];
  const header = rows[0].map((h) => h.toLowerCase());
  const at = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  const missing = COLUMNS.filter((c) => at[c] < 0);
  if (missing.length) throw new Error(`the header must name the columns file,start,end,label (missing: ${missing.join(', ')})`);
  return rows.slice(1).map((row, i) => {
    const start = seconds(row[at.start]);
    const end = seconds(row[at.end]);
    const file = row[at.file] ?? '';
    const label = row[at.label] ?? '';
    if (!file || !label || !Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < start) {
      throw new Error(`line ${lines[i + 1]} is not file,start,end,label with 0 <= start <= end: ${row.join(',')}`);
    }
    return { file, start, end, label };
  });
}

const seconds = (text: string | undefined) => (text ? Number(text) : NaN);
