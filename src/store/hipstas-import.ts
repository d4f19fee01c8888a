import { posix } from 'node:path';
import { parse } from 'csv-parse/sync';

/** One row of a HiPSTAS Audio Labeler output_table.csv: `name,start,duration,label`, no header. */
export interface HipstasRow {
  /** 1-based line in the table */
  line: number;
  /** the recording's file name without folder or extension */
  name: string;
  start: number;
  duration: number;
  label: string;
}

export interface HipstasTable {
  rows: HipstasRow[];
  /** line numbers of non-blank lines that are not a valid row */
  malformed: number[];
}

/** How HiPSTAS names a recording: its file name without folder or extension. */
export function hipstasName(file: string): string {
  return posix.parse(file).name;
}

/**
 * Reads both variants the labeler wrote (label quoted or not). Each line is parsed on its own, because HiPSTAS
 * rows never span lines and a stray quote must cost one row, not swallow the rest of the table.
 */
export function parseHipstasTable(text: string): HipstasTable {
  const table: HipstasTable = { rows: [], malformed: [] };
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n|\r/)
    .forEach((line, i) => {
      if (!line.trim()) return;
      const row = parseRow(line, i + 1);
      if (row) table.rows.push(row);
      else table.malformed.push(i + 1);
    });
  return table;
}

function parseRow(line: string, lineNumber: number): HipstasRow | undefined {
  let fields: string[] | undefined;
  if (!line.includes('"')) {
    fields = line.split(',').map((f) => f.trim()); // what csv-parse makes of a line without quotes, 20 times faster
  } else {
    try {
      [fields] = parse(line, { relax_quotes: true, trim: true }) as string[][];
    } catch {
      return undefined;
    }
  }
  if (fields?.length !== 4) return undefined;
  const [name, startText, durationText, label] = fields;
  const start = Number(startText);
  const duration = Number(durationText);
  if (!name || !label || startText === '' || !(start >= 0) || !(duration > 0)) return undefined;
  if (!Number.isFinite(start + duration)) return undefined;
  return { line: lineNumber, name, start, duration, label };
}
