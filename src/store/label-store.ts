import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { ProbeCache } from '../domain/media.js';
import { type LabelRecord } from '../domain/labels.js';
import { STORE_VERSION, type StoreConfig, type StoreData } from './schema.js';
import { type ProbeInfo } from '../domain/media.js';
import { StoreError } from './store-error.js';
import type { LabelRepository, NewRecord } from './label-repository.js';
import { acquireStoreLock } from './store-lock.js';

export const STORE_FILE = 'hark.json';
const PROBE_FILE = 'probes.json';

export type { NewRecord } from './label-repository.js';

/**
 * The one writer of a hark store folder: labels and config in hark.json, probe results in probes.json. Writes run one
 * at a time, in the order they were asked for; each carries its own undo, applied if its write fails.
 */
export class LabelStore implements LabelRepository {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly db: Low<StoreData>,
    private readonly probes: Low<Record<string, ProbeInfo>>,
    private readonly unlock: () => void,
  ) {}

  /**
   * Opens (creating if needed) the store in dir. Refuses a file it does not understand, never overwriting it.
   * readOnly: for commands that only read (export, stats) while a labeler may run: no lock, no backup, no creation.
   */
  static async open(dir: string, opts: { readOnly?: boolean } = {}): Promise<LabelStore> {
    const file = join(dir, STORE_FILE);
    if (opts.readOnly && !existsSync(file)) throw new StoreError(`No hark store in ${dir} (there is no ${STORE_FILE}).`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new StoreError(`Cannot create the store folder ${dir}: ${(err as Error).message}`);
    }
    const existing = readStoreFile(file);
    const unlock = opts.readOnly ? () => {} : acquireStoreLock(dir);
    try {
      if (existing && !opts.readOnly) copyFileSync(file, `${file}.bak`);
      const db = new Low<StoreData>(new JSONFile(file), emptyStore());
      db.data = existing ?? emptyStore();
      if (!existing) await db.write();
      const probes = new Low<Record<string, ProbeInfo>>(new JSONFile(join(dir, PROBE_FILE)), {});
      try {
        await probes.read();
      } catch {
        probes.data = {}; // a damaged probe cache is only a cache
      }
      return new LabelStore(dir, db, probes, unlock);
    } catch (err) {
      unlock();
      if (err instanceof StoreError) throw err;
      throw new StoreError(`Cannot write the store ${file}: ${(err as Error).message}`);
    }
  }

  get file(): string {
    return join(this.dir, STORE_FILE);
  }

  get config(): StoreConfig {
    return this.db.data.config;
  }

  get records(): readonly LabelRecord[] {
    return this.db.data.records;
  }

  setConfig(patch: Partial<StoreConfig>): Promise<void> {
    return this.mutate(() => {
      const before = this.db.data.config;
      this.db.data.config = { ...before, ...patch };
      return () => {
        this.db.data.config = before;
      };
    });
  }

  /** Saves one decision; resolves only once it is on disk. On failure nothing changes and the error says why. */
  async add(rec: NewRecord): Promise<LabelRecord> {
    const [full] = await this.addMany([rec]);
    return full;
  }

  async addMany(recs: NewRecord[]): Promise<LabelRecord[]> {
    const now = new Date().toISOString();
    const full = recs.map((r) => ({ ...r, id: randomUUID(), time: r.time ?? now }));
    await this.mutate(() => {
      const records = this.db.data.records;
      const before = records.length;
      for (const r of full) records.push(r);
      return () => {
        records.length = before; // writes run one at a time: nothing was added after these
      };
    });
    return full;
  }

  /** Marks a decision as part of the random sample (see LabelRecord.sampled). */
  markSampled(id: string): Promise<void> {
    return this.mutate(() => {
      const records = this.db.data.records;
      const at = lastIndexOf(records, id);
      if (at < 0 || records[at].sampled) return undefined;
      const before = records[at];
      records[at] = { ...before, sampled: true };
      return () => {
        const now = lastIndexOf(this.db.data.records, id);
        if (now >= 0) this.db.data.records[now] = before;
      };
    });
  }

  remove(id: string): Promise<void> {
    return this.mutate(() => {
      const records = this.db.data.records;
      const at = lastIndexOf(records, id);
      if (at < 0) return undefined;
      const [removed] = records.splice(at, 1);
      return () => {
        this.db.data.records.splice(Math.min(at, this.db.data.records.length), 0, removed);
      };
    });
  }

  /** Resolves once every write asked for so far has finished. */
  async settled(): Promise<void> {
    await this.writing.catch(() => {});
  }

  probeCache(): ProbeCache {
    const data = this.probes.data;
    return {
      get: (key) => data[key],
      set: (key, info) => {
        data[key] = info;
      },
    };
  }

  /** Writes the probe cache; a failure here costs only a slower next scan. */
  async saveProbes(): Promise<void> {
    await this.probes.write().catch(() => {});
  }

  close(): void {
    this.unlock();
  }

  /** Queues a change: `change` applies it in memory and returns its undo (nothing when there is nothing to do). */
  private mutate(change: () => (() => void) | undefined): Promise<void> {
    const run = async () => {
      const undo = change();
      if (!undo) return;
      try {
        await this.db.write();
      } catch (err) {
        undo();
        throw new StoreError(`Could not save to ${this.file}: ${(err as Error).message}`);
      }
    };
    const done = this.writing.then(run, run);
    this.writing = done.catch(() => {});
    return done;
  }
}

function lastIndexOf(records: readonly LabelRecord[], id: string): number {
  for (let i = records.length - 1; i >= 0; i--) if (records[i].id === id) return i;
  return -1;
}

function emptyStore(): StoreData {
  return { format: 'hark-store', version: STORE_VERSION, config: { labels: [] }, records: [] };
}

/** Reads and checks an existing store file; undefined when there is none. */
function readStoreFile(file: string): StoreData | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StoreError(`Cannot read the store ${file}: ${(err as Error).message}`);
  }
  const restore = `Restore it from ${file}.bak (a copy made each time hark opens the store), or use another --store folder.`;
  let data: Partial<StoreData>;
  try {
    data = JSON.parse(text) as Partial<StoreData>;
  } catch {
    throw new StoreError(`The store ${file} is damaged (not valid JSON); hark has not changed it. ${restore}`);
  }
  if (data?.format !== 'hark-store' || !Array.isArray(data.records) || typeof data.config !== 'object') {
    throw new StoreError(`${file} is not a hark store; hark has not changed it. Use another --store folder.`);
  }
  if (typeof data.version !== 'number' || data.version > STORE_VERSION) {
    throw new StoreError(
      `The store ${file} was written by a newer hark (store version ${data.version}); this hark reads version ${STORE_VERSION}. Update hark; the file has not been changed.`,
    );
  }
  return data as StoreData;
}
