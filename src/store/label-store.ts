import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Low } from 'lowdb';
import { AtomicJsonFile } from './atomic-json-file.js';
import type { ProbeCache, ProbeInfo } from '../domain/media.js';
import type { LabelRecord } from '../domain/labels.js';
import type { StoreConfig } from './schema.js';
import { StoreError } from './store-error.js';
import { acquireStoreLock, lockHeld } from './store-lock.js';
import type { LabelRepository, NewRecord } from './label-repository.js';
import { compactJournal, emptyConfig, foldJournals, worthCompacting, type JournalEntry, type StoreView } from './journal-entry.js';
import { JournalFile, readJournal } from './journal-file.js';
import { JournalFollower, type JournalChange } from './journal-follower.js';
import { migrateVersion1, readStoreFile, writeStoreFile } from './store-file.js';

export type { NewRecord } from './label-repository.js';

export const STORE_FILE = 'hark.json';
export const JOURNAL_DIR = 'journals';
const PROBE_FILE = 'probes.json';
/** the journal written when no annotator is named */
export const MAIN_WRITER = 'main';

export interface OpenStoreOptions {
  /** whose decisions these are: each annotator writes a journal of their own, so several can label at once */
  annotator?: string;
  /** for commands that only read (export, stats) while a labeler may run: no lock, no migration, no creation */
  readOnly?: boolean;
  /** each save waits until it is on the disk itself, to survive a power cut (costs a disk flush per save) */
  fsync?: boolean;
}

const fileName = (writer: string) => writer.replace(/[^\p{L}\p{N}._-]/gu, '_');

/** A journal's file name for a writer: names are kept readable, anything a file name cannot hold becomes _. */
export function journalFile(dir: string, writer: string): string {
  return join(dir, JOURNAL_DIR, `${fileName(writer)}.jsonl`);
}

/** The lock of a writer's journal: the store's own lock for the main writer, one beside the journal for an annotator. */
function writerLock(dir: string, writer: string): string {
  return writer === MAIN_WRITER ? join(dir, 'lock') : join(dir, JOURNAL_DIR, `${fileName(writer)}.lock`);
}

/** Who holds a lock in the store now: the annotators labeling (or importing) at this moment. */
export function activeWriters(dir: string): string[] {
  const named = readdirSafe(join(dir, JOURNAL_DIR))
    .filter((f) => f.endsWith('.lock') && lockHeld(join(dir, JOURNAL_DIR, f)))
    .map((f) => f.slice(0, -'.lock'.length));
  return lockHeld(join(dir, 'lock')) ? [MAIN_WRITER, ...named] : named;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
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

/** Decisions other annotators made (or took back) since the last look, as this store now sees them. */
export interface ExternalChange {
  added: LabelRecord[];
  retracted: LabelRecord[];
}

/**
 * The one writer of a hark store folder for this process. Settings a store started with are in hark.json; each
 * decision, undo and settings change is one line appended to this writer's journal (lowdb over an append-only
 * JournalFile), so a save costs the same at 100 labels and at 100,000. Writes run one at a time, in the order asked
 * for; the view in memory changes only once a write is on disk, so a failed write has nothing to undo. Other
 * annotators' journals are read, never written, and followed while labeling (see follow).
 */
export class LabelStore implements LabelRepository {
  private writing: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(change: ExternalChange) => void>();

  private constructor(
    readonly dir: string,
    private view: StoreView,
    private readonly base: StoreConfig,
    private readonly journal: Low<JournalEntry[]> | undefined,
    private readonly others: Map<string, JournalEntry[]>,
    private readonly follower: JournalFollower | undefined,
    private readonly probes: Low<Record<string, ProbeInfo>>,
    private readonly unlock: () => void,
    /** whose journal this process writes; undefined for the main writer (no --annotator) */
    readonly annotator: string | undefined,
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
    const writer = opts.annotator ?? MAIN_WRITER;
    const hint = opts.annotator ? `Each annotator labels in one hark at a time: quit that one first, or use another --annotator` : 'Quit that hark first';
    const unlock = acquireStoreLock(dir, writerLock(dir, writer), hint);
    try {
      if (!stored) writeStoreFile(file, emptyConfig());
      else if (stored.version === 1) stored = migrateVersion1(file, stored, journalFile(dir, MAIN_WRITER));
      const own = journalFile(dir, writer);
      const follower = new JournalFollower(join(dir, JOURNAL_DIR), own);
      const others = follower.readAll();
      const adapter = new JournalFile(own, opts.fsync);
      const journal = new Low<JournalEntry[]>(adapter, []);
      await journal.read();
      if (worthCompacting(journal.data)) {
        journal.data = compactJournal(journal.data);
        adapter.rewrite(journal.data);
      }
      const base = stored?.config ?? emptyConfig();
      const view = foldJournals([journal.data, ...others.values()], base);
      return new LabelStore(dir, view, base, journal, others, follower, await openProbes(dir), unlock, opts.annotator);
    } catch (err) {
      unlock();
      if (err instanceof StoreError) throw err;
      throw new StoreError(`Cannot write the store ${dir}: ${(err as Error).message}`);
    }
  }

  private static async openReadOnly(dir: string): Promise<LabelStore> {
    const view = readStore(dir);
    return new LabelStore(dir, view, view.config, undefined, new Map(), undefined, await openProbes(dir), () => {}, undefined);
  }

  /**
   * Starts taking in what other annotators save, within about `pollMs` (file watching, with polling for network
   * filesystems); `onChange` hears of each batch once it is in `records`. Returns a function that stops listening.
   */
  follow(onChange: (change: ExternalChange) => void, pollMs = 1000): () => void {
    if (this.listeners.size === 0) this.follower?.follow((changes) => this.takeIn(changes), pollMs);
    this.listeners.add(onChange);
    return () => {
      this.listeners.delete(onChange);
      if (this.listeners.size === 0) this.follower?.stop();
    };
  }

  private takeIn(changes: JournalChange[]): void {
    const added: LabelRecord[] = [];
    const retracted: LabelRecord[] = [];
    for (const { file, entries, replaced } of changes) {
      if (replaced) {
        // compacted by its writer at their open: rare, so the whole view is folded again and compared by id
        this.others.set(file, entries);
        const before = new Map(this.view.records.map((r) => [r.id, r]));
        this.view = foldJournals([this.journal?.data ?? [], ...this.others.values()], this.base);
        for (const r of this.view.records) if (!before.delete(r.id)) added.push(r);
        retracted.push(...before.values());
        continue;
      }
      const known = this.others.get(file) ?? [];
      this.others.set(file, known);
      for (const e of entries) {
        known.push(e);
        if ('add' in e) {
          this.view.records.push(e.add);
          added.push(e.add);
        } else if ('retract' in e) {
          const at = lastIndexOf(this.view.records, e.retract);
          if (at >= 0) retracted.push(...this.view.records.splice(at, 1));
        } else if ('sampled' in e) {
          const at = lastIndexOf(this.view.records, e.sampled);
          if (at >= 0) this.view.records[at] = { ...this.view.records[at], sampled: true };
        } else {
          this.view.config = { ...this.view.config, ...e.config };
        }
      }
    }
    if (added.length || retracted.length) for (const cb of this.listeners) cb({ added, retracted });
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
    this.follower?.stop();
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
  const probes = new Low<Record<string, ProbeInfo>>(new AtomicJsonFile(join(dir, PROBE_FILE)), {});
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
