import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse';
import type { SqlDb } from '../src/search/sql-db.js';
import type { SqlValue } from '../src/search/query-sql.js';

// The engine hark did not choose, kept for the comparison: not a dependency, so install it for the run with
// `npm install --no-save better-sqlite3@12.11` (it compiles from source here: minutes).
interface Statement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}
interface Database {
  pragma(text: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): Statement;
  transaction(work: () => void): () => void;
  close(): void;
}
const Sqlite = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => Database;

/** The search index in an SQLite file: rows parsed in JavaScript and inserted in one transaction per file. */
export async function openSqliteDb(path: string): Promise<SqlDb> {
  const db = new Sqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return {
    indexes: [
      'CREATE INDEX spans_by_recording ON spans (recording, label, start)',
      'CREATE INDEX spans_by_label ON spans (label, recording)',
      'CREATE INDEX spans_by_file ON spans (file)',
      'CREATE INDEX tags_by_recording ON tags (recording, key)',
    ],
    exec: async (sql) => {
      db.exec(sql);
    },
    all: async <T>(sql: string, params: SqlValue[] = []) => db.prepare(sql).all(...params) as T[],
    run: async (sql, params = []) => {
      db.prepare(sql).run(...params);
    },
    insertMany: async (table, rows) => {
      if (!rows.length) return;
      const insert = db.prepare(`INSERT INTO ${table} VALUES (${rows[0].map(() => '?').join(', ')})`);
      db.transaction(() => {
        for (const row of rows) insert.run(...row);
      })();
    },
    loadRanges: async (path, source, run) => {
      const insert = db.prepare("INSERT INTO spans VALUES (?, ?, ?, ?, 'model', NULL, ?, ?, ?, ?)");
      let count = 0;
      db.exec('BEGIN');
      try {
        for await (const r of createReadStream(path).pipe(parse({ columns: true })) as AsyncIterable<Record<string, string>>) {
          insert.run(r.file, Number(r.start), Number(r.end), r.label, Number(r.max_score), Number(r.peak), run, source);
          count++;
        }
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
      return count;
    },
    close: async () => {
      db.close();
    },
  };
}
