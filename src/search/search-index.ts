/**
 * The search index: recordings with their metadata, and every span anything found in them — a person's labels and
 * the model's ranges from every apply run and shard — in one embedded database in the store folder.
 *
 *   recordings(path, folder, name, format, codec, duration, date_first, date_last)
 *   tags(recording, key, value)                       container tags, keys in lower case
 *   spans(recording, start, stop, label, source, annotator, score, peak, run, file)
 *        source 'person' (file 0: the store's labels) or 'model' (file n: one ranges CSV of `run`)
 *   pieces(recording, label, start, stop)             the time the spans of each label cover, as disjoint pieces
 *   files(id, path, run, size, mtime)                 the ranges CSVs loaded, to reload only those that changed
 *   meta(key, value)                                  schema version, fingerprints of the labels and recordings
 *
 * Refreshing is incremental: a ranges file is read again only when its size or time changed, and the labels and
 * recordings only when their fingerprint did (both are small next to the ranges). The pieces are made again only
 * for the labels whose spans changed.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { onePerLabel, type LabelRecord } from '../domain/labels.js';
import { compileQuery, type SqlValue } from './query-sql.js';
import { parseQuery } from './query-parser.js';
import { recordingDate } from './recording-date.js';
import type { SqlDb } from './sql-db.js';

const SCHEMA_VERSION = '2';

const SCHEMA = [
  'CREATE TABLE recordings (path VARCHAR PRIMARY KEY, folder VARCHAR, name VARCHAR, format VARCHAR, codec VARCHAR, duration DOUBLE, date_first VARCHAR, date_last VARCHAR)',
  'CREATE TABLE tags (recording VARCHAR, key VARCHAR, value VARCHAR)',
  'CREATE TABLE spans (recording VARCHAR, start DOUBLE, stop DOUBLE, label VARCHAR, source VARCHAR, annotator VARCHAR, score DOUBLE, peak DOUBLE, run VARCHAR, file INTEGER)',
  'CREATE TABLE pieces (recording VARCHAR, label VARCHAR, start DOUBLE, stop DOUBLE)',
  'CREATE TABLE files (id INTEGER, path VARCHAR, run VARCHAR, size DOUBLE, mtime DOUBLE)',
  'CREATE TABLE labels (label VARCHAR)',
  'CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)',
];

/** A recording as the scan found it. */
export interface IndexedRecording {
  path: string;
  duration: number;
  size: number;
  mtimeMs: number;
  codec?: string;
  tags?: Readonly<Record<string, string>>;
}

/** One ranges CSV of apply and the run it belongs to. */
export interface RangesFile {
  path: string;
  run: string;
}

export interface IndexInputs {
  recordings: readonly IndexedRecording[];
  labels: readonly LabelRecord[];
  rangesFiles: readonly RangesFile[];
}

export interface RefreshReport {
  recordings: boolean;
  labels: boolean;
  /** ranges files read (again) and dropped */
  rangesRead: number;
  rangesDropped: number;
}

/** Brings the index up to date with the inputs, reading only what changed since the last refresh. */
export async function refreshIndex(db: SqlDb, inputs: IndexInputs): Promise<RefreshReport> {
  const version = await db.all<{ value: string }>("SELECT value FROM meta WHERE key = 'version'").catch(() => []);
  if (version[0]?.value !== SCHEMA_VERSION) {
    for (const table of ['recordings', 'tags', 'spans', 'pieces', 'files', 'labels', 'meta']) await db.exec(`DROP TABLE IF EXISTS ${table}`);
    for (const sql of [...SCHEMA, ...db.indexes]) await db.exec(sql);
    await setMeta(db, 'version', SCHEMA_VERSION);
  }
  const report: RefreshReport = { recordings: false, labels: false, rangesRead: 0, rangesDropped: 0 };
  const recordingsPrint = fingerprint(inputs.recordings.map((r) => `${r.path}|${r.size}|${Math.round(r.mtimeMs)}|${r.tags ? Object.keys(r.tags).length : '-'}`));
  if ((await getMeta(db, 'recordings')) !== recordingsPrint) {
    await loadRecordings(db, inputs.recordings);
    await setMeta(db, 'recordings', recordingsPrint);
    report.recordings = true;
  }
  const touched = new Set<string>();
  // a clip with two labels (music under speech) is found by either
  const people = onePerLabel(inputs.labels.filter((r) => r.kind === 'label'));
  const labelPrints = fingerprintsByLabel(people);
  const oldPrints = JSON.parse((await getMeta(db, 'labels')) ?? '{}') as Record<string, string>;
  for (const label of new Set([...Object.keys(labelPrints), ...Object.keys(oldPrints)])) {
    if (labelPrints[label] !== oldPrints[label]) touched.add(label);
  }
  if (touched.size) {
    await db.run('DELETE FROM spans WHERE file = 0');
    await db.insertMany(
      'spans',
      people.map((r) => [r.file, r.start, r.start + r.duration, r.label, 'person', r.annotator, r.score ?? null, r.start + r.duration / 2, null, 0]),
    );
    await setMeta(db, 'labels', JSON.stringify(labelPrints));
    report.labels = true;
  }
  const known = await db.all<{ id: number; path: string; size: number; mtime: number }>('SELECT id, path, size, mtime FROM files');
  const wanted = new Map(inputs.rangesFiles.map((f) => [f.path, f]));
  let nextId = Math.max(0, ...known.map((k) => k.id)) + 1;
  const labelsOfFile = async (id: number) => {
    for (const { label } of await db.all<{ label: string }>('SELECT DISTINCT label FROM spans WHERE file = ?', [id])) touched.add(label);
  };
  for (const k of known) {
    const stat = wanted.has(k.path) ? statOrUndefined(k.path) : undefined;
    if (stat && stat.size === k.size && stat.mtimeMs === k.mtime) {
      wanted.delete(k.path);
      continue;
    }
    await labelsOfFile(k.id);
    await db.run('DELETE FROM spans WHERE file = ?', [k.id]);
    await db.run('DELETE FROM files WHERE id = ?', [k.id]);
    if (!wanted.has(k.path)) report.rangesDropped++;
  }
  for (const file of wanted.values()) {
    const stat = statOrUndefined(file.path);
    if (!stat) continue;
    const id = nextId++;
    await db.loadRanges(file.path, id, file.run);
    await db.insertMany('files', [[id, file.path, file.run, stat.size, stat.mtimeMs]]);
    await labelsOfFile(id);
    report.rangesRead++;
  }
  if (touched.size) {
    await db.run('DELETE FROM labels');
    await db.run('INSERT INTO labels SELECT DISTINCT label FROM spans');
    await cutPieces(db, [...touched]);
  }
  return report;
}

/**
 * Cuts the spans of these labels into disjoint pieces that cover the same time, so that a `total` query adds up
 * lengths instead of sorting millions of spans: sorted by start, each span keeps only what lies past the furthest
 * end of the spans before it. One pass over those labels' spans.
 */
async function cutPieces(db: SqlDb, labels: readonly string[]): Promise<void> {
  // one label at a time, to sort one label's spans rather than all of them at once
  for (const label of labels) {
    await db.run('DELETE FROM pieces WHERE label = ?', [label]);
    const reach = 'SELECT recording, label, start, stop, MAX(stop) OVER (PARTITION BY recording ORDER BY start, stop ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM spans WHERE label = ?';
    await db.run(
      `INSERT INTO pieces SELECT recording, label, CASE WHEN reach > start THEN reach ELSE start END, stop FROM (${reach}) WHERE reach IS NULL OR reach < stop ORDER BY recording, start`,
      [label],
    );
  }
}

async function loadRecordings(db: SqlDb, recordings: readonly IndexedRecording[]): Promise<void> {
  await db.run('DELETE FROM recordings');
  await db.run('DELETE FROM tags');
  await db.insertMany(
    'recordings',
    recordings.map((r) => {
      const slash = r.path.lastIndexOf('/');
      const name = r.path.slice(slash + 1);
      const dot = name.lastIndexOf('.');
      const date = recordingDate(r.path, r.tags);
      return [r.path, slash < 0 ? '' : r.path.slice(0, slash), name, dot < 0 ? '' : name.slice(dot + 1).toLowerCase(), r.codec ?? '', r.duration, date?.first ?? null, date?.last ?? null];
    }),
  );
  await db.insertMany(
    'tags',
    recordings.flatMap((r) => Object.entries(r.tags ?? {}).map(([key, value]) => [r.path, key.toLowerCase(), value])),
  );
}

/** A span a query found: a person's label or a range of the model. */
export interface SearchHit {
  recording: string;
  start: number;
  end: number;
  label: string;
  by: 'person' | 'model';
  annotator?: string;
  /** the model's highest probability in the range */
  score?: number;
  /** where in the range the model was surest (a label: its middle) */
  peak: number;
  run?: string;
}

export interface SearchRecording {
  path: string;
  duration: number;
  /** the values of the fields the query names */
  fields: Record<string, string>;
}

export interface SearchResult {
  /** every recording that meets the query, by path */
  recordings: SearchRecording[];
  /** the spans found in them, by recording and time; at most `limit` */
  hits: SearchHit[];
  /** how many spans there are beyond the limit too */
  totalHits: number;
  fields: string[];
}

/** Runs a query (throws QueryError when it cannot be read) against an up-to-date index. */
export async function searchIndex(db: SqlDb, query: string, opts: { limit: number; labels?: readonly string[] }): Promise<SearchResult> {
  const tree = parseQuery(query);
  const indexed = (await db.all<{ label: string }>('SELECT label FROM labels ORDER BY label')).map((r) => r.label);
  const tags = (await db.all<{ key: string }>('SELECT DISTINCT key FROM tags ORDER BY key')).map((r) => r.key);
  const labels = [...new Set([...(opts.labels ?? []), ...indexed])];
  const compiled = compileQuery(tree, { labels, tags });
  const { where, hits: hitCondition, fields } = compiled;
  // the matching recordings once, for the list and for the hits to join
  await db.exec('DROP TABLE IF EXISTS temp.matched');
  await db.run(`CREATE TEMP TABLE matched AS SELECT r.* FROM recordings r WHERE ${where.text}`, where.params);
  const rows = await db.all<{ path: string; duration: number; folder: string; name: string; format: string; date_first: string | null; date_last: string | null }>(
    'SELECT path, duration, folder, name, format, date_first, date_last FROM temp.matched ORDER BY path',
  );
  const tagFields = fields.filter((f) => tags.includes(f));
  const tagValues = new Map<string, string>();
  if (tagFields.length) {
    const found = await db.all<{ recording: string; key: string; value: string }>(
      `SELECT recording, key, value FROM tags WHERE key IN (${tagFields.map(() => '?').join(', ')})`,
      tagFields,
    );
    for (const t of found) tagValues.set(`${t.key}\n${t.recording}`, t.value);
  }
  const recordings = rows.map((r) => ({
    path: r.path,
    duration: r.duration,
    fields: Object.fromEntries(fields.map((f) => [f, fieldValue(f, r, tagValues.get(`${f}\n${r.path}`))])),
  }));
  if (!hitCondition || recordings.length === 0) return { recordings, hits: [], totalHits: 0, fields };
  const from = `FROM spans s JOIN temp.matched d ON d.path = s.recording WHERE ${hitCondition.text}`;
  const params: SqlValue[] = hitCondition.params;
  const hitRows = await db.all<{ recording: string; start: number; stop: number; label: string; source: 'person' | 'model'; annotator: string | null; score: number | null; peak: number; run: string | null }>(
    `SELECT s.recording, s.start, s.stop, s.label, s.source, s.annotator, s.score, s.peak, s.run ${from} ORDER BY s.recording, s.start, s.label LIMIT ?`,
    [...params, opts.limit],
  );
  const totalHits =
    hitRows.length < opts.limit ? hitRows.length : (await db.all<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n ${from}`, params))[0].n;
  const hits = hitRows.map((h) => ({
    recording: h.recording,
    start: h.start,
    end: h.stop,
    label: h.label,
    by: h.source,
    peak: h.peak,
    ...(h.annotator !== null ? { annotator: h.annotator } : {}),
    ...(h.score !== null ? { score: h.score } : {}),
    ...(h.run !== null ? { run: h.run } : {}),
  }));
  return { recordings, hits, totalHits, fields };
}

function fieldValue(field: string, r: { path: string; folder: string; name: string; format: string; duration: number; date_first: string | null; date_last: string | null }, tag: string | undefined): string {
  switch (field) {
    case 'folder':
      return r.folder;
    case 'file':
      return r.name;
    case 'path':
      return r.path;
    case 'format':
      return r.format;
    case 'duration':
      return String(Math.round(r.duration));
    case 'date':
      return r.date_first === null ? '' : r.date_first === r.date_last ? r.date_first : `${r.date_first}..${r.date_last}`;
    default:
      return tag ?? '';
  }
}

async function getMeta(db: SqlDb, key: string): Promise<string | undefined> {
  return (await db.all<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]))[0]?.value;
}

async function setMeta(db: SqlDb, key: string, value: string): Promise<void> {
  await db.run('DELETE FROM meta WHERE key = ?', [key]);
  await db.run('INSERT INTO meta VALUES (?, ?)', [key, value]);
}

function fingerprintsByLabel(records: readonly LabelRecord[]): Record<string, string> {
  const ids = new Map<string, string[]>();
  for (const r of records) {
    const list = ids.get(r.label) ?? [];
    list.push(r.id);
    ids.set(r.label, list);
  }
  return Object.fromEntries([...ids].map(([label, list]) => [label, fingerprint(list)]));
}

function fingerprint(items: readonly string[]): string {
  const hash = createHash('sha1');
  for (const item of items) hash.update(item).update('\n');
  return hash.digest('hex');
}

function statOrUndefined(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    const { size, mtimeMs } = statSync(path);
    return { size, mtimeMs };
  } catch {
    return undefined;
  }
}
