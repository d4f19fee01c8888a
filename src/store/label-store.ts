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
import { acquireStoreLock } from './store-lock.js';

export const STORE_FILE = 'hark.json';
const PROBE_FILE = 'probes.json';

export type NewRecord = Omit<LabelRecord, 'id' | 'time'> & { time?: string };

/** The one writer of a hark store folder: labels and config in hark.json, probe results in probes.json. */
export class LabelStore {
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

  async setConfig(patch: Partial<StoreConfig>): Promise<void> {
    const before = this.db.data.config;
    this.db.data.config = { ...before, ...patch };
    await this.commit(() => {
      this.db.data.config = before;
    });
  }

  /** Saves one decision; resolves only once it is on disk. On failure nothing changes and the error says why. */
  async add(rec: NewRecord): Promise<LabelRecord> {
    const full: LabelRecord = { ...rec, id: randomUUID(), time: rec.time ?? new Date().toISOString() };
    this.db.data.records.push(full);
    await this.commit(() => {
      this.db.data.records = this.db.data.records.filter((r) => r.id !== full.id);
    });
    return full;
  }

  async addMany(recs: NewRecord[]): Promise<LabelRecord[]> {
    const now = new Date().toISOString();
    const full = recs.map((r) => ({ ...r, id: randomUUID(), time: r.time ?? now }));
    const before = this.db.data.records;
    this.db.data.records = [...before, ...full];
    await this.commit(() => {
      this.db.data.records = before;
    });
    return full;
  }

  /** Marks a decision as part of the random sample (see LabelRecord.sampled). */
  async markSampled(id: string): Promise<void> {
    const before = this.db.data.records;
    this.db.data.records = before.map((r) => (r.id === id ? { ...r, sampled: true } : r));
    await this.commit(() => {
      this.db.data.records = before;
    });
  }

  async remove(id: string): Promise<void> {
    const before = this.db.data.records;
    this.db.data.records = before.filter((r) => r.id !== id);
    await this.commit(() => {
      this.db.data.records = before;
    });
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

  private async commit(rollback: () => void): Promise<void> {
    try {
      await this.db.write();
    } catch (err) {
      rollback();
      throw new StoreError(`Could not save to ${this.file}: ${(err as Error).message}`);
    }
  }
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
