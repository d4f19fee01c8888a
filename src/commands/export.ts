import { Command, Option } from '@commander-js/extra-typings';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeKey } from '../audio/scan.js';
import {
  EXPORT_FORMATS,
  formatCsv,
  formatHipstas,
  formatJsonl,
  isExportFormat,
  isPerRecordingFormat,
  labelFilesPerRecording,
  labelsOnly,
  ravenHighFreq,
  sharedHipstasNames,
  type ExportFormat,
  type PerRecordingFormat,
} from '../store/exports.js';
import { LabelStore } from '../store/label-store.js';
import { onePerLabel, type LabelRecord } from '../domain/labels.js';
import type { CommandDefinition, CommandIO } from './command-io.js';
import { UserError } from '../domain/user-error.js';

export interface ExportOptions {
  store: string;
  format: string;
  /** a file for single-file formats (stdout when omitted), a folder for audacity and raven */
  out?: string;
}

const SINGLE_FILE_FORMATTERS: Record<Exclude<ExportFormat, PerRecordingFormat>, (records: readonly LabelRecord[]) => string> = {
  hipstas: formatHipstas,
  csv: formatCsv,
  jsonl: formatJsonl,
};


export const exportCommand: CommandDefinition = (context) =>
  new Command('export')
    .description('write the labels for another tool')
    .requiredOption('--store <dir>', 'the store folder')
    .addOption(
      new Option('--format <format>', 'hipstas (output_table.csv), csv, audacity (a label file per recording), raven (a selection table per recording), jsonl')
        .choices(EXPORT_FORMATS)
        .makeOptionMandatory(),
    )
    .option('--out <path>', 'file for hipstas/csv/jsonl (default: standard output); folder for audacity/raven (default: ./hark-labels-<format>)')
    .action(async (opts) => context.finish(await runExport(opts, context.io)));

/** `hark export`: writes the store's labels for another tool. */
export async function runExport(opts: ExportOptions, io: Pick<CommandIO, 'out' | 'err'>): Promise<number> {
  if (!isExportFormat(opts.format)) throw new UserError(`Unknown export format "${opts.format}"; use one of: ${EXPORT_FORMATS.join(', ')}.`);
  const store = await LabelStore.open(opts.store, { readOnly: true });
  try {
    const format = opts.format;
    const records = onePerLabel(store.records);
    const labels = labelsOnly(records);
    if (labels.length === 0) io.err.write(`The store ${store.dir} has no labels yet.\n`);
    if (isPerRecordingFormat(format)) return exportPerRecording(store, labels, format, opts.out ?? `hark-labels-${format}`, io);
    if (format === 'hipstas') {
      for (const name of sharedHipstasNames(labels)) {
        io.err.write(`Warning: several recordings are named "${name}"; the HiPSTAS table cannot tell them apart.\n`);
      }
    }
    // csv and jsonl keep every field, so they keep skips too (kind 'skip'): nothing in the store is lost.
    const rows = format === 'hipstas' ? labels : records;
    const text = SINGLE_FILE_FORMATTERS[format](rows);
    if (!opts.out) {
      await writeAll(io.out, text);
      return 0;
    }
    writeOrExplain(opts.out, text);
    io.out.write(`Wrote ${rows.length} records to ${opts.out}.\n`);
    return 0;
  } finally {
    store.close();
  }
}

function exportPerRecording(
  store: LabelStore,
  labels: LabelRecord[],
  format: PerRecordingFormat,
  dir: string,
  io: Pick<CommandIO, 'out' | 'err'>,
): number {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`Cannot create the folder ${dir}: ${(err as Error).message}`);
  }
  const files = labelFilesPerRecording(labels, format, nyquistOf(store));
  for (const file of files) writeOrExplain(join(dir, file.name), file.text);
  io.out.write(`Wrote ${labels.length} labels for ${files.length} recordings to ${dir}.\n`);
  return 0;
}

/** Half the recording's sample rate when the labeler has probed it and it is unchanged; otherwise a common default. */
function nyquistOf(store: LabelStore): (recording: string) => number {
  const root = store.config.mediaRoot;
  const probes = store.probeCache();
  return (recording) => {
    if (!root) return ravenHighFreq(undefined);
    try {
      const { size, mtimeMs } = statSync(join(root, recording));
      return ravenHighFreq(probes.get(probeKey({ path: recording, size, mtimeMs }))?.sampleRate);
    } catch {
      return ravenHighFreq(undefined);
    }
  };
}

function writeOrExplain(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new UserError(`Cannot write ${path}: ${(err as Error).message}`);
  }
}

/** Resolves once the text is handed to the stream, so a caller that exits right after loses nothing. */
function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}
