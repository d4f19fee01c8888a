import { posix } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { NewRecord } from './label-store.js';
import { labelFields, labelsOf, NOT_SURE, onePerLabel, SKIPPED, type DecisionKind, type LabelRecord } from '../domain/labels.js';
import { hipstasName, parseHipstasTable, type HipstasRow } from './hipstas-import.js';

/** What `hark import` reads, told apart by content: hark's own csv and jsonl exports, Audacity label tracks, HiPSTAS. */
export const IMPORT_FORMATS = {
  csv: { what: "hark's csv export", row: 'file,start,duration,label (under a header)' },
  jsonl: { what: "hark's jsonl export", row: 'a JSON record' },
  audacity: { what: 'an Audacity label track', row: 'start<TAB>end<TAB>label' },
  hipstas: { what: 'a HiPSTAS output table', row: 'name,start,duration,label' },
} as const;
export type ImportFormat = keyof typeof IMPORT_FORMATS;

/** One decision read from a file; `name` finds its recording (a path, or a file name without folder or extension). */
export interface ImportRow extends HipstasRow {
  /** the recording's path under the media folder, when the file says it (hark's exports) */
  file?: string;
  kind?: DecisionKind;
  /** who made the decision, when the file says it: kept, so that stores of several annotators merge */
  annotator?: string;
  time?: string;
}

export interface ImportTable {
  format: ImportFormat;
  rows: ImportRow[];
  /** line numbers of non-blank lines that are not a valid row */
  malformed: number[];
}

/** The format of a file's text, from its first line that holds anything. */
export function detectImportFormat(text: string): ImportFormat {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).find((line) => line.trim() && !line.startsWith('\\')) ?? '';
  if (first.trimStart().startsWith('{')) return 'jsonl';
  if (/^\s*[0-9.]+\t[0-9.]+(\t|$)/.test(first)) return 'audacity';
  const header = first.split(',').map((f) => f.trim().replace(/^"|"$/g, ''));
  if (['file', 'start', 'duration', 'label'].every((c) => header.includes(c))) return 'csv';
  return 'hipstas';
}

/**
 * Reads a file of decisions in any IMPORT_FORMATS. `recording` names the recording of an Audacity label track (which
 * does not say it): a path under the media folder or a file name.
 */
export function parseImport(text: string, recording: string): ImportTable {
  const format = detectImportFormat(text);
  if (format === 'hipstas') return { format, ...parseHipstasTable(text) };
  const table: ImportTable = { format, rows: [], malformed: [] };
  const rows = format === 'csv' ? csvRecords(text) : lines(text).map(([line, t]) => [line, format === 'jsonl' ? jsonRecord(t) : audacityRecord(t)] as const);
  for (const [line, record] of rows) {
    if (record === 'ignore') continue;
    const row = record && importRow(line, format === 'audacity' ? { ...record, file: recording } : record);
    if (row) table.rows.push(row);
    else table.malformed.push(line);
  }
  return table;
}

type Fields = Partial<Record<keyof LabelRecord, unknown>>;

function lines(text: string): [number, string][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n|\r/)
    .map((t, i) => [i + 1, t] as [number, string])
    .filter(([, t]) => t.trim());
}

function jsonRecord(line: string): Fields | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Fields) : undefined;
  } catch {
    return undefined;
  }
}

/** `start<TAB>end<TAB>label`; a line starting with a backslash holds a spectral selection's frequencies. */
function audacityRecord(line: string): Fields | 'ignore' | undefined {
  if (line.startsWith('\\')) return 'ignore';
  const [start, end, label = ''] = line.split('\t');
  return { start: num(start), duration: num(end) - num(start), label: label.trim() };
}

/** A number, or NaN for an empty field (which Number would read as 0). */
const num = (text: string | undefined) => (text?.trim() ? Number(text) : NaN);

function csvRecords(text: string): (readonly [number, Fields | undefined])[] {
  try {
    const records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, relax_column_count: true, info: true }) as {
      record: Record<string, string>;
      info: { lines: number };
    }[];
    return records.map(({ record, info }) => [info.lines, { ...record, start: num(record.start), duration: num(record.duration) }] as const);
  } catch {
    return [[1, undefined]];
  }
}

const KINDS: readonly DecisionKind[] = ['label', 'unsure', 'skip'];

function importRow(line: number, r: Fields): ImportRow | undefined {
  const { file, start, duration, label } = r;
  if (typeof file !== 'string' || !file || typeof label !== 'string' || !label) return undefined;
  if (typeof start !== 'number' || typeof duration !== 'number' || !(start >= 0) || !(duration > 0) || !Number.isFinite(start + duration)) return undefined;
  const kind = KINDS.find((k) => k === r.kind);
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { line, name: hipstasName(file), file, start, duration, label, kind, annotator: text(r.annotator), time: text(r.time) };
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

/**
 * Turns read rows into store records for the collection's recordings, leaving out what is already stored. A row lands
 * on the recording at its path, else on the only recording with its name in any folder. A row that names its
 * annotator is a duplicate only of that annotator's decision.
 */
export function planImport(
  rows: readonly ImportRow[],
  files: readonly { path: string; duration: number }[],
  existing: readonly LabelRecord[],
  annotator: string,
): ImportPlan {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const byName = new Map<string, { path: string; duration: number }[]>();
  for (const f of files) {
    const name = hipstasName(f.path);
    byName.set(name, [...(byName.get(name) ?? []), f]);
  }
  // A multiset, not a set: the labeler can serve the same clip twice, and both answers are real decisions.
  const stored = new Map<string, number>();
  const count = (key: string) => stored.set(key, (stored.get(key) ?? 0) + 1);
  // a stored clip with two labels was exported as a row per label: each row is already stored
  for (const r of onePerLabel(existing)) {
    count(recordKey(r));
    count(recordKey(r, r.annotator));
  }

  const plan: ImportPlan = { records: [], duplicates: 0, unplaced: [], pastEnd: [] };
  const unplaced = new Map<string, UnplacedName>();
  for (const row of rows) {
    const exact = row.file !== undefined ? byPath.get(row.file) : undefined;
    const matches = exact ? [exact] : (byName.get(row.name) ?? []);
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
    const unsure = row.kind === 'unsure' || row.label.toLowerCase() === NOT_SURE.toLowerCase();
    const kind = row.kind === 'skip' ? 'skip' : unsure ? 'unsure' : 'label';
    const record: NewRecord = {
      file: file.path,
      start: row.start,
      duration: row.duration,
      label: kind === 'unsure' ? NOT_SURE : kind === 'skip' ? SKIPPED : row.label,
      kind,
      annotator: row.annotator ?? annotator,
      how: 'import',
      ...(row.time && { time: row.time }),
    };
    const key = recordKey(record, row.annotator);
    const alreadyStored = stored.get(key) ?? 0;
    if (alreadyStored > 0) {
      stored.set(key, alreadyStored - 1);
      plan.duplicates++;
    } else {
      plan.records.push(record);
    }
  }
  plan.unplaced = [...unplaced.values()];
  plan.records = oneDecisionPerClip(plan.records);
  return plan;
}

/**
 * hark's exports write a clip with two labels as a row per label, each with the decision's annotator and time: such
 * rows become one decision again. Rows without a time (other tools' tables) stay a decision each.
 */
function oneDecisionPerClip(records: readonly NewRecord[]): NewRecord[] {
  const byDecision = new Map<string, NewRecord>();
  const out: NewRecord[] = [];
  for (const r of records) {
    const key = r.kind === 'label' && r.time ? JSON.stringify([r.file, r.start, r.duration, r.annotator, r.time]) : undefined;
    const first = key === undefined ? undefined : byDecision.get(key);
    // the same label twice is the same clip decided twice (the labeler can serve a clip again): two decisions
    if (first && !labelsOf(first).includes(r.label)) {
      Object.assign(first, labelFields([...labelsOf(first), r.label]));
      continue;
    }
    const own = { ...r };
    if (key !== undefined) byDecision.set(key, own);
    out.push(own);
  }
  return out;
}

function recordKey(r: Pick<LabelRecord, 'file' | 'start' | 'duration' | 'label'>, annotator?: string): string {
  return JSON.stringify([r.file, r.start, r.duration, r.label, ...(annotator === undefined ? [] : [annotator])]);
}

/** The recording an Audacity label track is about, from the track's own file name (hark names them `<path>.txt`). */
export function trackRecording(trackPath: string): string {
  return posix.basename(trackPath.replace(/\\/g, '/')).replace(/\.txt$/i, '').split('__').join('/');
}
