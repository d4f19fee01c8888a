import { readFileSync } from 'node:fs';
import { Command } from '@commander-js/extra-typings';
import { IMPORT_FORMATS, parseImport, planImport, trackRecording, type ImportFormat, type ImportPlan, type ImportTable } from '../store/label-import.js';
import { openCollection } from '../collection/open-collection.js';
import { reportScanProblems, scanProgress, type CommandDefinition, type CommandIO } from './command-io.js';
import { UserError } from '../domain/user-error.js';
import { STORE_HELP } from './option-values.js';

export interface ImportOptions {
  /** a file of decisions in any IMPORT_FORMATS */
  table: string;
  store?: string;
  /** media folder, when the store does not remember one yet */
  media?: string;
  /** who decisions are credited to when the file does not say (default: the format's name, e.g. hipstas) */
  annotator?: string;
  /** the recording an Audacity label track is about (default: from the track's file name) */
  file?: string;
  fsync?: boolean;
}

/** Who the imported decisions are credited to unless the file or --annotator names the person. */
export const DEFAULT_IMPORT_ANNOTATOR = 'hipstas';

export const importCommand: CommandDefinition = (context) =>
  new Command('import')
    .description("bring in labels from hark's csv or jsonl export (another annotator's store), an Audacity label track or a HiPSTAS table")
    .argument('<file>', `the labels; the format is told from the content: ${Object.values(IMPORT_FORMATS).map((f) => `${f.what} (${f.row})`).join('; ')}`)
    .option('--store <dir>', STORE_HELP)
    .option('--media <dir>', 'media folder, if the store does not know it yet')
    .option('--annotator <name>', `who the labels are credited to when the file does not say (default: ${DEFAULT_IMPORT_ANNOTATOR}, or audacity)`)
    .option('--fsync', 'wait until the labels are on the disk itself, so they survive a power cut')
    .option('--file <recording>', "the recording an Audacity label track is about (default: the track's file name, e.g. tape-01.txt or reels__tape-01.wav.txt)")
    .action(async (table, opts) => context.finish(await runImport({ ...opts, table }, context.io)));

/** `hark import`: brings decisions made elsewhere into the store, leaving out those it already holds. */
export async function runImport(opts: ImportOptions, io: Pick<CommandIO, 'out' | 'err'>): Promise<number> {
  let text: string;
  try {
    text = readFileSync(opts.table, 'utf8');
  } catch (err) {
    throw new UserError(`Cannot read ${opts.table}: ${(err as Error).message}`);
  }
  const table = parseImport(text, opts.file ?? trackRecording(opts.table));
  if (table.rows.length === 0) {
    throw new UserError(
      table.malformed.length > 0
        ? `${opts.table} does not look like ${IMPORT_FORMATS[table.format].what}: no line reads ${IMPORT_FORMATS[table.format].row}.`
        : `${opts.table} has no rows.`,
    );
  }
  const collection = await openCollection({
    store: opts.store,
    media: opts.media,
    annotator: opts.annotator ?? defaultAnnotator(table.format),
    fsync: opts.fsync,
    onScanProgress: scanProgress(io.err),
  });
  try {
    reportScanProblems(collection.problems, io.err);
    const { store } = collection;
    const annotator = opts.annotator ?? defaultAnnotator(table.format);
    const plan = planImport(opts.annotator ? table.rows.map((r) => ({ ...r, annotator: opts.annotator })) : table.rows, collection.files, store.records, annotator);
    await store.addMany(plan.records);
    const total = table.rows.length + table.malformed.length;
    io.out.write(
      `Imported ${plan.records.length} of ${total} rows from ${opts.table} (${table.format}) into ${store.dir}` +
        `: ${plan.records.length} new, ${plan.duplicates} already there.\n`,
    );
    reportLeftOut(plan, table, collection.root, io.err);
    if (plan.records.length + plan.duplicates === 0) throw new UserError(`None of the rows of ${opts.table} could be placed on a recording of ${collection.root}.`);
    return 0;
  } finally {
    collection.store.close();
  }
}

function defaultAnnotator(format: ImportFormat): string {
  return format === 'audacity' ? 'audacity' : DEFAULT_IMPORT_ANNOTATOR;
}

function reportLeftOut(plan: ImportPlan, { format, malformed }: ImportTable, root: string, err: NodeJS.WritableStream): void {
  if (plan.duplicates > 0) err.write(`${plan.duplicates} rows were already in the store and were not added again.\n`);
  const missing = plan.unplaced.filter((u) => u.candidates.length === 0);
  if (missing.length > 0) {
    const rows = missing.reduce((n, u) => n + u.rows, 0);
    err.write(`${rows} rows name recordings that are not in ${root}: ${listSome(missing.map((u) => u.name))}.\n`);
  }
  for (const u of plan.unplaced.filter((entry) => entry.candidates.length > 1)) {
    err.write(`${u.rows} rows name "${u.name}", which is in more than one folder (${u.candidates.join(', ')}); not imported.\n`);
  }
  if (plan.pastEnd.length > 0) {
    const lines = listSome(plan.pastEnd);
    err.write(`${plan.pastEnd.length} rows start after the end of their recording; not imported (lines ${lines}).\n`);
  }
  if (malformed.length > 0) {
    err.write(`${malformed.length} lines are not ${IMPORT_FORMATS[format].row} rows; not imported (lines ${listSome(malformed)}).\n`);
  }
}

function listSome(items: readonly (string | number)[], max = 20): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
