import { stringify } from 'csv-stringify/sync';
import type { ScoredRange } from '../ml/ranges.js';
import { labelFilesPerRecording, type LabelFile, type PerRecordingFormat } from './exports.js';

/** A range `hark apply` found: where in which recording the model hears a label. */
export interface PredictedRange extends ScoredRange {
  /** path relative to the media root */
  file: string;
  label: string;
}

export const RANGE_COLUMNS = ['file', 'start', 'end', 'label', 'mean_score', 'max_score', 'peak'] as const;

/** The collection-wide table: one row per range, by file, then time, then label. */
export function formatRangesCsv(ranges: readonly PredictedRange[]): string {
  return stringify(sorted(ranges).map(rangeRow), { header: true, columns: [...RANGE_COLUMNS] });
}

export function formatRangesJsonl(ranges: readonly PredictedRange[]): string {
  return sorted(ranges)
    .map((r) => `${JSON.stringify(Object.fromEntries(RANGE_COLUMNS.map((c, i) => [c, rangeRow(r)[i]])))}\n`)
    .join('');
}

/** One Audacity label track or Raven selection table per recording that has ranges, with the labeler's formatters. */
export function rangeLabelFiles(
  ranges: readonly PredictedRange[],
  format: PerRecordingFormat,
  highFreq: (recording: string) => number,
): LabelFile[] {
  const spans = sorted(ranges).map((r) => ({ file: r.file, start: r.start, duration: r.end - r.start, label: r.label }));
  return labelFilesPerRecording(spans, format, highFreq);
}

function rangeRow(r: PredictedRange): [string, number, number, string, number, number, number] {
  return [r.file, round(r.start, 3), round(r.end, 3), r.label, round(r.meanScore, 4), round(r.maxScore, 4), round(r.peak, 3)];
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

function sorted(ranges: readonly PredictedRange[]): PredictedRange[] {
  return [...ranges].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || (a.label < b.label ? -1 : 1)));
}
