import { stringify } from 'csv-stringify/sync';
import { hipstasName } from './hipstas-import.js';
import type { LabelRecord } from '../domain/labels.js';
import { groupBy } from '../domain/group-by.js';

export const EXPORT_FORMATS = ['hipstas', 'csv', 'audacity', 'raven', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats whose times are per recording, so they are written as one file per recording. */
export type PerRecordingFormat = Extract<ExportFormat, 'audacity' | 'raven'>;

/** What a per-recording label file needs of a record (also used for ranges found by `hark apply`). */
export type LabeledSpan = Pick<LabelRecord, 'file' | 'start' | 'duration' | 'label'>;

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

export function isPerRecordingFormat(format: ExportFormat): format is PerRecordingFormat {
  return format === 'audacity' || format === 'raven';
}

/** Labels and "not sure" answers; skips say only that a clip was passed over. */
export function labelsOnly(records: readonly LabelRecord[]): LabelRecord[] {
  return records.filter((r) => r.kind !== 'skip');
}

/** The HiPSTAS Audio Labeler's output_table.csv: no header, `name,start,duration,"label"`. */
export function formatHipstas(records: readonly LabelRecord[]): string {
  return stringify(
    records.map((r) => [hipstasName(r.file), seconds(r.start), seconds(r.duration), r.label]),
    { cast: { string: (value, context) => (context.index === 3 ? { value, quoted: true } : value) } },
  );
}

// Typed as a record so that a field added to LabelRecord fails the typecheck until it gets a column here. `labels`
// has none: rows come one per label (onePerLabel).
const CSV_FIELDS: Record<Exclude<keyof LabelRecord, 'labels'>, true> = {
  id: true,
  file: true,
  start: true,
  duration: true,
  label: true,
  kind: true,
  annotator: true,
  time: true,
  how: true,
  strategy: true,
  score: true,
  modelVersion: true,
  drawProbability: true,
  weighted: true,
  sampled: true,
};

/** Every field of every record, under a header. */
export function formatCsv(records: readonly LabelRecord[]): string {
  return stringify(records as LabelRecord[], { header: true, columns: Object.keys(CSV_FIELDS) });
}

export function formatJsonl(records: readonly LabelRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** An Audacity label track for one recording: `start<TAB>end<TAB>label`. */
export function formatAudacity(records: readonly LabeledSpan[]): string {
  return byStart(records)
    .map((r) => `${r.start.toFixed(6)}\t${(r.start + r.duration).toFixed(6)}\t${tsvText(r.label)}\n`)
    .join('');
}

export const RAVEN_HEADER =
  'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tAnnotation';

/** A Raven selection table for one recording; each box spans 0 Hz to highFreq. */
export function formatRaven(records: readonly LabeledSpan[], highFreq: number): string {
  const rows = byStart(records).map((r, i) =>
    [i + 1, 'Spectrogram 1', 1, r.start.toFixed(6), (r.start + r.duration).toFixed(6), 0, highFreq, tsvText(r.label)].join('\t'),
  );
  return [RAVEN_HEADER, ...rows].map((line) => `${line}\n`).join('');
}

export interface LabelFile {
  /** file name only, safe on Windows and macOS too, unique (ignoring case) within one export */
  name: string;
  recording: string;
  labels: number;
  text: string;
}

/** Raven's upper frequency: the recording's Nyquist frequency, or a common default when its rate is unknown. */
export function ravenHighFreq(sampleRate: number | undefined): number {
  return sampleRate ? sampleRate / 2 : 8000;
}

/** One label file per recording, named after the recording's path. */
export function labelFilesPerRecording(
  records: readonly LabeledSpan[],
  format: PerRecordingFormat,
  highFreq: (recording: string) => number,
): LabelFile[] {
  const byRecording = groupBy(records, (r) => r.file);
  const suffix = format === 'raven' ? '.Table.1.selections.txt' : '.txt';
  const taken = new Set<string>();
  return [...byRecording.keys()].sort().map((recording) => {
    const clips = byRecording.get(recording)!;
    const text = format === 'raven' ? formatRaven(clips, highFreq(recording)) : formatAudacity(clips);
    return { name: uniqueName(safeFileName(recording), suffix, taken), recording, labels: clips.length, text };
  });
}

/** Distinct recordings that share a HiPSTAS name, which that format cannot tell apart. */
export function sharedHipstasNames(records: readonly LabelRecord[]): string[] {
  const recordingsByName = new Map<string, Set<string>>();
  for (const r of records) {
    const name = hipstasName(r.file);
    recordingsByName.set(name, (recordingsByName.get(name) ?? new Set()).add(r.file));
  }
  return [...recordingsByName].filter(([, files]) => files.size > 1).map(([name]) => name);
}

/** Seconds without float noise (0.30000000000000004 -> 0.3) and without padding (2769 stays 2769). */
function seconds(value: number): string {
  return String(Number(value.toFixed(6)));
}

function byStart(records: readonly LabeledSpan[]): LabeledSpan[] {
  return [...records].sort((a, b) => a.start - b.start || a.duration - b.duration);
}

/** Tabs and line breaks would break a tab-separated row. */
function tsvText(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

function safeFileName(recording: string): string {
  return recording.split('/').join('__').replace(/[\\:*?"<>|\x00-\x1f]/g, '_');
}

function uniqueName(base: string, suffix: string, taken: Set<string>): string {
  let name = `${base}${suffix}`;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} (${n})${suffix}`;
  taken.add(name.toLowerCase());
  return name;
}
