import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { SqlDb } from './sql-db.js';
import type { SqlValue } from './query-sql.js';

const RANGES_COLUMNS = "{'file': 'VARCHAR', 'start': 'DOUBLE', 'end': 'DOUBLE', 'label': 'VARCHAR', 'mean_score': 'DOUBLE', 'max_score': 'DOUBLE', 'peak': 'DOUBLE'}";

/** The search index in a DuckDB file: it reads apply's CSV in place, in parallel. */
export async function openDuckDb(path: string): Promise<SqlDb> {
  const instance = await DuckDBInstance.create(path);
  const connection: DuckDBConnection = await instance.connect();
  return {
    indexes: [], // its zone maps serve these scans; an ART index would only slow the loading
    exec: async (sql) => {
      await connection.run(sql);
    },
    all: async <T>(sql: string, params: SqlValue[] = []) => (await connection.runAndReadAll(sql, params)).getRowObjectsJS() as T[],
    run: async (sql, params = []) => {
      await connection.run(sql, params);
    },
    insertMany: async (table, rows) => {
      if (!rows.length) return;
      const appender = await connection.createAppender(table);
      for (const row of rows) {
        for (const value of row) {
          if (value === null) appender.appendNull();
          else if (typeof value === 'number') appender.appendDouble(value);
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      appender.closeSync();
    },
    // sorted by label, a file's rows fill row groups of one label each, whose zone maps let a query on one label
    // skip the rest
    loadRanges: async (path, source, run) => {
      const file = `'${path.replaceAll("'", "''")}'`;
      const reader = await connection.runAndReadAll(
        `INSERT INTO spans SELECT file, start, "end", label, 'model', NULL, max_score, peak, ?, ?
         FROM read_csv(${file}, header = true, columns = ${RANGES_COLUMNS}, quote = '"', escape = '"')
         ORDER BY label, file, start`,
        [run, source],
      );
      return Number(reader.getRows()[0]?.[0] ?? 0);
    },
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
