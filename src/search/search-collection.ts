import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Collection } from '../collection/open-collection.js';
import { UserError } from '../domain/user-error.js';
import { findRangesFiles } from '../store/apply-output.js';
import { openDuckDb } from './duckdb-db.js';
import { refreshIndex, searchIndex, type SearchResult } from './search-index.js';
import type { SqlDb } from './sql-db.js';

/** The index is a cache of the store and apply's outputs: deleting it costs only a rebuild. */
export const SEARCH_INDEX_FILE = 'search.duckdb';

/** Brings the store's search index up to date and runs the query on it (QueryError when it cannot be read). */
export async function searchCollection(collection: Collection, query: string, opts: { limit: number }): Promise<SearchResult> {
  const dir = collection.store.dir;
  const db = await openIndex(join(dir, SEARCH_INDEX_FILE));
  try {
    await refreshIndex(db, { recordings: collection.files, labels: collection.store.records, rangesFiles: findRangesFiles(dir) });
    return await searchIndex(db, query, { limit: opts.limit, labels: collection.store.config.labels.map((l) => l.name) });
  } finally {
    await db.close();
  }
}

async function openIndex(path: string): Promise<SqlDb> {
  try {
    return await openDuckDb(path);
  } catch (err) {
    const message = (err as Error).message;
    if (/lock/i.test(message)) throw new UserError(`The search index ${path} is in use by another hark search: try again when it has finished.`);
    // damaged or written by another DuckDB version: it holds nothing that cannot be rebuilt
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    return openDuckDb(path);
  }
}
