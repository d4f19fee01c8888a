import type { SqlValue } from './query-sql.js';

/** What the search index needs of an embedded database. */
export interface SqlDb {
  /** statements run after the tables are created (indexes the engine's planner wants) */
  readonly indexes: readonly string[];
  exec(sql: string): Promise<void>;
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  run(sql: string, params?: SqlValue[]): Promise<void>;
  /** appends rows to a table, in its column order */
  insertMany(table: string, rows: (SqlValue | null)[][]): Promise<void>;
  /**
   * Appends the rows of one apply ranges CSV (file,start,end,label,mean_score,max_score,peak) to `spans` as the
   * model's, from `source` of `run`; returns how many.
   */
  loadRanges(path: string, source: number, run: string): Promise<number>;
  close(): Promise<void>;
}
