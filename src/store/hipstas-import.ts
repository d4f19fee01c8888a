import { posix } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { NewRecord } from './label-repository.js';
import { NOT_SURE, type LabelRecord } from '../domain/labels.js';

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

/** Rows naming a recording that the collection does not have exactly once. */
export interface UnplacedName {
  name: string;
  rows: number;
  /** the collection's recordings with this name: none (not in the collection) or several (in different folders) */
  candidates: string[];
}

export interface ImportPlan {
  records: NewRecord[];
  /** rows already in the store: each stored record accounts for one identical row */
  duplicates: number;
  unplaced: UnplacedName[];
  /** line numbers of rows starting at or after the end of their recording */
  pastEnd: number[];
}

/** Turns parsed rows into store records for the collection's recordings, leaving out what is already stored. */
export function planHipstasImport(
  rows: readonly HipstasRow[],
  files: readonly { path: string; duration: number }[],
  existing: readonly LabelRecord[],
  annotator: string,
): ImportPlan {
  const byName = new Map<string, { path: string; duration: number }[]>();
  for (const f of files) {
    const name = hipstasName(f.path);
    const same = byName.get(name) ?? [];
    same.push(f);
    byName.set(name, same);
  }
  // A multiset, not a set: the labeler can serve the same clip twice, and both answers are real decisions.
  const stored = new Map<string, number>();
  for (const r of existing) stored.set(recordKey(r), (stored.get(recordKey(r)) ?? 0) + 1);

  const plan: ImportPlan = { records: [], duplicates: 0, unplaced: [], pastEnd: [] };
  const unplaced = new Map<string, UnplacedName>();
  for (const row of rows) {
    const matches = byName.get(row.name) ?? [];
    if (matches.length !== 1) {
      const entry = unplaced.get(row.name) ?? { name: row.name, rows: 0, candidates: matches.map((f) => f.path) };
      entry.rows++;
      unplaced.set(row.name, entry);
      continue;
    }
    const [file] = matches;
    if (row.start >= file.duration) {
      plan.pastEnd.push(row.line);
      continue;
    }
    const unsure = row.label.toLowerCase() === NOT_SURE.toLowerCase();
    const record: NewRecord = {
      file: file.path,
      start: row.start,
      duration: row.duration,
      label: unsure ? NOT_SURE : row.label,
      kind: unsure ? 'unsure' : 'label',
      annotator,
      how: 'import',
    };
    const key = recordKey(record);
    const alreadyStored = stored.get(key) ?? 0;
    if (alreadyStored > 0) {
      stored.set(key, alreadyStored - 1);
      plan.duplicates++;
    } else {
      plan.records.push(record);
    }
  }
  plan.unplaced = [...unplaced.values()];
  return plan;
}

function recordKey(r: Pick<LabelRecord, 'file' | 'start' | 'duration' | 'label'>): string {
  return JSON.stringify([r.file, r.start, r.duration, r.label]);
}
