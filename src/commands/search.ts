import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { openCollection } from '../collection/open-collection.js';
import { UserError } from '../domain/user-error.js';
import { renderTimeline } from '../format/timeline.js';
import { formatClock } from '../format/time-format.js';
import { textTable } from '../format/text-table.js';
import { labelFilesPerRecording, ravenHighFreq } from '../store/exports.js';
import { explainQueryError, QueryError } from '../search/query-parser.js';
import { searchCollection } from '../search/search-collection.js';
import { hitsByRecording, recordingTotals, type SearchHit, type SearchResult } from '../search/search-result.js';
import { Command, Option } from '@commander-js/extra-typings';
import { reportScanProblems, scanProgress, type CommandDefinition, type CommandIO } from './command-io.js';
import { integer, positiveInteger } from './option-values.js';

export interface SearchOptions {
  store: string;
  query: string;
  json?: boolean;
  format?: 'csv' | 'audacity' | 'raven';
  /** a file for csv (default: standard output), a folder for audacity and raven */
  out?: string;
  by?: 'recording';
  timeline?: boolean;
  width?: number;
  /** most hits listed; 0 for all */
  limit?: number;
}

const DEFAULT_LIMIT = 1000;

export const searchCommand: CommandDefinition = (context) =>
  new Command('search')
    .description('find recordings and times by labels, apply\'s ranges and metadata, e.g. "Music > 30s and not Host" (see README: Searching)')
    .argument('<query>', 'e.g. "Tone in first 80s", "Carol Hills total > 5m", "Host and folder ~ The_World and date >= 2017-06"')
    .requiredOption('--store <dir>', 'the store folder')
    .option('--json', 'one JSON object: the recordings that match and their hits')
    .addOption(new Option('--format <format>', 'csv (a row per hit), audacity or raven (a file per recording, in --out)').choices(['csv', 'audacity', 'raven'] as const))
    .option('--out <path>', 'file for csv (default: standard output); folder for audacity/raven (default: ./hark-search-<format>)')
    .addOption(new Option('--by <what>', 'recording: one row per recording with its hits and the time they cover').choices(['recording'] as const))
    .option('--timeline', 'draw one line per recording, time across, each label a coloured run')
    .option('--width <columns>', "width of the timeline (default: the terminal's)", positiveInteger)
    .option('--limit <n>', 'most hits listed in the table (default 1000; 0 for all)', integer)
    .action(async (query, opts) => context.finish(await runSearch({ ...opts, query }, context.io)));

/** `hark search`: one query over labels, apply's ranges and the recordings' metadata. */
export async function runSearch(opts: SearchOptions, io: CommandIO): Promise<number> {
  const collection = await openCollection({ store: opts.store, readOnly: true, onScanProgress: scanProgress(io.err) });
  try {
    reportScanProblems(collection.problems, io.err);
    const everything = opts.json || opts.timeline || opts.by === 'recording' || opts.format !== undefined || opts.limit === 0;
    let result: SearchResult;
    try {
      result = await searchCollection(collection, opts.query, { limit: everything ? Number.MAX_SAFE_INTEGER : (opts.limit ?? DEFAULT_LIMIT) });
    } catch (err) {
      if (err instanceof QueryError) throw new UserError(explainQueryError(opts.query, err));
      throw err;
    }
    if (opts.json) {
      io.out.write(`${JSON.stringify({ query: opts.query, ...result, ...(opts.by === 'recording' ? { totals: recordingTotals(result) } : {}) })}\n`);
    } else if (opts.timeline) {
      const width = opts.width ?? (io.stdout.isTTY ? io.stdout.columns : undefined) ?? 80;
      const byRecording = hitsByRecording(result.hits);
      const rows = result.recordings.map((r) => ({ name: r.path, duration: r.duration, spans: byRecording.get(r.path) ?? [] }));
      io.out.write(renderTimeline(rows, { width, color: io.color }).map((l) => `${l}\n`).join(''));
    } else if (opts.format === 'csv') {
      writeText(opts.out, formatHitsCsv(result), io);
    } else if (opts.format === 'audacity' || opts.format === 'raven') {
      const rates = new Map(collection.files.map((f) => [f.path, f.sampleRate]));
      const spans = result.hits.map((h) => ({ file: h.recording, start: h.start, duration: h.end - h.start, label: h.label }));
      const dir = opts.out ?? `hark-search-${opts.format}`;
      mkdirSync(dir, { recursive: true });
      const files = labelFilesPerRecording(spans, opts.format, (recording) => ravenHighFreq(rates.get(recording)));
      for (const file of files) writeFileSync(join(dir, file.name), file.text);
      io.out.write(`Wrote ${spans.length} hits for ${files.length} recordings to ${dir}.\n`);
    } else if (opts.by === 'recording') {
      io.out.write(formatTotals(result));
    } else {
      io.out.write(formatHitsTable(result));
    }
    return 0;
  } finally {
    collection.store.close();
  }
}

function byWhom(h: SearchHit): string {
  return h.by === 'person' ? (h.annotator ?? 'person') : `model p=${(h.score ?? 0).toFixed(2)}`;
}

function formatHitsTable(result: SearchResult): string {
  const { recordings, hits, fields } = result;
  const fieldsOf = new Map(recordings.map((r) => [r.path, fields.map((f) => r.fields[f])]));
  const withHits = new Set(hits.map((h) => h.recording));
  const rows = [
    ...hits.map((h) => [h.recording, formatClock(h.start, 1), formatClock(h.end, 1), h.label, byWhom(h), ...fieldsOf.get(h.recording)!]),
    ...recordings.filter((r) => !withHits.has(r.path)).map((r) => [r.path, '–', '–', '–', '–', ...fieldsOf.get(r.path)!]),
  ];
  if (rows.length === 0) return 'No recording matches.\n';
  const table = textTable(['Recording', 'Start', 'End', 'Label', 'By', ...fields], rows);
  const shown = hits.length < result.totalHits ? [`Showing the first ${hits.length} of ${result.totalHits} hits (--limit 0 for all).`] : [];
  const summary = `${result.totalHits} hit(s) in ${recordings.length} recording(s).`;
  return [...table, '', ...shown, summary].map((l) => `${l}\n`).join('');
}

function formatTotals(result: SearchResult): string {
  const totals = recordingTotals(result);
  if (totals.length === 0) return 'No recording matches.\n';
  const fieldsOf = new Map(result.recordings.map((r) => [r.path, result.fields.map((f) => r.fields[f])]));
  const rows = totals.map((t) => [t.recording, String(t.hits), formatClock(t.seconds), formatClock(t.duration), t.labels.join(', '), ...fieldsOf.get(t.recording)!]);
  return [...textTable(['Recording', 'Hits', 'Time', 'Duration', 'Labels', ...result.fields], rows), '', `${totals.length} recording(s).`]
    .map((l) => `${l}\n`)
    .join('');
}

function formatHitsCsv(result: SearchResult): string {
  const fieldsOf = new Map(result.recordings.map((r) => [r.path, result.fields.map((f) => r.fields[f])]));
  const rows = result.hits.map((h) => [h.recording, h.start, h.end, h.label, h.by, h.annotator ?? '', h.score ?? '', h.run ?? '', ...fieldsOf.get(h.recording)!]);
  return stringify(rows, { header: true, columns: ['file', 'start', 'end', 'label', 'by', 'annotator', 'score', 'run', ...result.fields] });
}

function writeText(path: string | undefined, text: string, io: Pick<CommandIO, 'out'>): void {
  if (!path) {
    io.out.write(text);
    return;
  }
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new UserError(`Cannot write ${path}: ${(err as Error).message}`);
  }
  io.out.write(`Wrote ${path}.\n`);
}
