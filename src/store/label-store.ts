import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { ProbeCache, ProbeInfo } from '../domain/media.js';
import type { LabelRecord } from '../domain/labels.js';
import type { StoreConfig } from './schema.js';
import { StoreError } from './store-error.js';
import { acquireStoreLock } from './store-lock.js';
import type { LabelRepository, NewRecord } from './label-repository.js';
import { compactJournal, emptyConfig, foldJournals, worthCompacting, type JournalEntry, type StoreView } from './journal-entry.js';
import { JournalFile, readJournal } from './journal-file.js';
import { migrateVersion1, readStoreFile, writeStoreFile } from './store-file.js';

export type { NewRecord } from './label-repository.js';

export const STORE_FILE = 'hark.json';
export const JOURNAL_DIR = 'journals';
const PROBE_FILE = 'probes.json';
/** the journal written when no annotator is named */
export const MAIN_WRITER = 'main';

export interface OpenStoreOptions {
  /** for commands that only read (export, stats) while a labeler may run: no lock, no migration, no creation */
  readOnly?: boolean;
  /** each save waits until it is on the disk itself, to survive a power cut (costs a disk flush per save) */
  fsync?: boolean;
}

/** A journal's file name for a writer: names are kept readable, anything a file name cannot hold becomes _. */
export function journalFile(dir: string, writer: string): string {
  return join(dir, JOURNAL_DIR, `${writer.replace(/[^\p{L}\p{N}._-]/gu, '_')}.jsonl`);
}

/** Every journal in a store folder (their file names). */
function journalFiles(dir: string): string[] {
  try {
    return readdirSync(join(dir, JOURNAL_DIR)).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(dir, JOURNAL_DIR, f));
  } catch {
    return [];
  }
}

/** The labels and settings of a store folder as they are on disk now, read without taking its lock. */
export function readStore(dir: string): StoreView {
  const stored = readStoreFile(join(dir, STORE_FILE));
  if (!stored) throw new StoreError(`No hark store in ${dir} (there is no ${STORE_FILE}).`);
  if (stored.version === 1) return { config: stored.config, records: stored.records ?? [] };
  return foldJournals(journalFiles(dir).map((f) => readJournal(f).entries), stored.config);
}

/**
 * The one writer of a hark store folder. Settings a store started with are in hark.json; each decision, undo and
 * settings change is one line appended to this writer's journal (lowdb over an append-only JournalFile), so a save
 * costs the same at 100 labels and at 100,000. Writes run one at a time, in the order asked for; the view in memory
 * changes only once a write is on disk, so a failed write has nothing to undo.
 */
export class LabelStore implements LabelRepository {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly view: StoreView,
    private readonly journal: Low<JournalEntry[]> | undefined,
    private readonly probes: Low<Record<string, ProbeInfo>>,
    private readonly unlock: () => void,
  ) {}

  /** Opens (creating if needed) the store in dir. Refuses a file it does not understand, never overwriting it. */
  static async open(dir: string, opts: OpenStoreOptions = {}): Promise<LabelStore> {
    const file = join(dir, STORE_FILE);
    if (opts.readOnly) return LabelStore.openReadOnly(dir);
    let stored = readStoreFile(file);
    try {
      mkdirSync(join(dir, JOURNAL_DIR), { recursive: true });
    } catch (err) {
      throw new StoreError(`Cannot create the store folder ${dir}: ${(err as Error).message}`);
    }
    const unlock = acquireStoreLock(dir);
    const own = journalFile(dir, MAIN_WRITER);
    try {
      if (!stored) writeStoreFile(file, emptyConfig());
      else if (stored.version === 1) stored = migrateVersion1(file, stored, own);
      const others = journalFiles(dir).filter((f) => f !== own).map((f) => readJournal(f).entries);
      const adapter = new JournalFile(own, opts.fsync);
      const journal = new Low<JournalEntry[]>(adapter, []);
      await journal.read();
      const mine = journal.data;
      if (worthCompacting(mine, foldJournals([mine]).records.length)) {
        journal.data = compactJournal(mine);
        adapter.rewrite(journal.data);
      }
      const view = foldJournals([journal.data, ...others], stored?.config ?? emptyConfig());
      return new LabelStore(dir, view, journal, await openProbes(dir), unlock);
    } catch (err) {
      unlock();
      if (err instanceof StoreError) throw err;
      throw new StoreError(`Cannot write the store ${dir}: ${(err as Error).message}`);
    }
  }

  private static async openReadOnly(dir: string): Promise<LabelStore> {
    return new LabelStore(dir, readStore(dir), undefined, await openProbes(dir), () => {});
  }

  /** where this process's decisions go */
  get file(): string {
    return this.journal ? (this.journal.adapter as JournalFile).file : join(this.dir, STORE_FILE);
  }

  get config(): StoreConfig {
    return this.view.config;
  }

  get records(): readonly LabelRecord[] {
    return this.view.records;
  }

  setConfig(patch: Partial<StoreConfig>): Promise<void> {
    return this.append([{ config: patch, time: new Date().toISOString() }], () => {
      this.view.config = { ...this.view.config, ...patch };
    });
  }

  /** Saves one decision; resolves only once it is on disk. On failure nothing changes and the error says why. */
  async add(rec: NewRecord): Promise<LabelRecord> {
    const [full] = await this.addMany([rec]);
    return full;
  }

  async addMany(recs: NewRecord[]): Promise<LabelRecord[]> {
    const now = new Date().toISOString();
    const full: LabelRecord[] = recs.map((r) => ({ ...r, id: randomUUID(), time: r.time ?? now }));
    await this.append(
      full.map((add) => ({ add })),
      () => {
        for (const r of full) this.view.records.push(r);
      },
    );
    return full;
  }

  /** Marks a decision as part of the random sample (see LabelRecord.sampled). */
  markSampled(id: string): Promise<void> {
    const at = lastIndexOf(this.view.records, id);
    if (at < 0 || this.view.records[at].sampled) return Promise.resolve();
    return this.append([{ sampled: id }], () => {
      const now = lastIndexOf(this.view.records, id);
      if (now >= 0) this.view.records[now] = { ...this.view.records[now], sampled: true };
    });
  }

  /** Takes a decision back: a retraction line, the decision itself stays in the journal until compaction. */
  remove(id: string): Promise<void> {
    return this.append([{ retract: id, time: new Date().toISOString() }], () => {
      const at = lastIndexOf(this.view.records, id);
      if (at >= 0) this.view.records.splice(at, 1);
    });
  }

  /** Resolves once every write asked for so far has finished. */
  async settled(): Promise<void> {
    await this.writing;
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
    (this.journal?.adapter as JournalFile | undefined)?.close();
    this.unlock();
  }

  /** Queues lines for this writer's journal; `apply` changes the view once they are on disk. */
  private append(entries: JournalEntry[], apply: () => void): Promise<void> {
    const run = async () => {
      const journal = this.journal;
      if (!journal) throw new StoreError(`The store ${this.dir} was opened read-only.`);
      const before = journal.data.length;
      for (const e of entries) journal.data.push(e);
      try {
        await journal.write();
      } catch (err) {
        journal.data.length = before; // this write's own undo: its lines were never acknowledged
        throw new StoreError(`Could not save to ${this.file}: ${(err as Error).message}`);
      }
      apply();
    };
    const done = this.writing.then(run, run);
    this.writing = done.catch(() => {});
    return done;
  }
}

async function openProbes(dir: string): Promise<Low<Record<string, ProbeInfo>>> {
  const probes = new Low<Record<string, ProbeInfo>>(new JSONFile(join(dir, PROBE_FILE)), {});
  try {
    await probes.read();
  } catch {
    probes.data = {}; // a damaged probe cache is only a cache
  }
  return probes;
}

function lastIndexOf(records: readonly LabelRecord[], id: string): number {
  for (let i = records.length - 1; i >= 0; i--) if (records[i].id === id) return i;
  return -1;
}
