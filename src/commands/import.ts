import { readFileSync } from 'node:fs';
import { parseHipstasTable, planHipstasImport, type ImportPlan } from '../store/hipstas-import.js';
import { type Collection, openCollection } from '../collection/open-collection.js';
import { reportScanProblems, scanProgress, userCommand, type CommandIO } from './command-io.js';

export interface ImportOptions {
  /** the HiPSTAS output_table.csv */
  table: string;
  store?: string;
  /** media folder, when the store does not remember one yet */
  media?: string;
  annotator?: string;
  fsync?: boolean;
}

/** Who the imported decisions are credited to unless --annotator names the person. */
export const DEFAULT_IMPORT_ANNOTATOR = 'hipstas';

/** `hark import`: brings labels from a HiPSTAS Audio Labeler output table into the store. */
export const runImport = userCommand(async (opts: ImportOptions, io: Pick<CommandIO, 'out' | 'err'>): Promise<number> => {
  let text: string;
  try {
    text = readFileSync(opts.table, 'utf8');
  } catch (err) {
    io.err.write(`Cannot read ${opts.table}: ${(err as Error).message}\n`);
    return 1;
  }
  const table = parseHipstasTable(text);
  if (table.rows.length === 0) {
    io.err.write(
      table.malformed.length > 0
        ? `${opts.table} does not look like a HiPSTAS output table: no line reads name,start,duration,label.\n`
        : `${opts.table} has no rows.\n`,
    );
    return 1;
  }
  let collection: Collection | undefined;
  try {
    collection = await openCollection({ store: opts.store, media: opts.media, annotator: opts.annotator ?? DEFAULT_IMPORT_ANNOTATOR, fsync: opts.fsync, onScanProgress: scanProgress(io.err) });
    reportScanProblems(collection.problems, io.err);
    const { store } = collection;
    const annotator = opts.annotator ?? DEFAULT_IMPORT_ANNOTATOR;
    const plan = planHipstasImport(table.rows, collection.files, store.records, annotator);
    await store.addMany(plan.records);
    io.out.write(
      `Imported ${plan.records.length} of ${table.rows.length + table.malformed.length} rows from ${opts.table} ` +
        `into ${store.dir} (annotator "${annotator}").\n`,
    );
    reportLeftOut(plan, table.malformed, collection.root, io.err);
    return 0;
  } finally {
    collection?.store.close();
  }
});

function reportLeftOut(plan: ImportPlan, malformed: number[], root: string, err: NodeJS.WritableStream): void {
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
    err.write(`${malformed.length} lines are not name,start,duration,label rows; not imported (lines ${listSome(malformed)}).\n`);
  }
}

function listSome(items: readonly (string | number)[], max = 20): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
