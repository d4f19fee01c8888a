import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { existsSync, rmSync, statSync } from 'node:fs';
import type { MediaFile, ProbeInfo, ScanProblem } from '../domain/media.js';
import { listMediaFiles, scanMedia } from '../audio/scan.js';
import { findLookalikeStores } from './lookalike-stores.js';
import { buildWindowGrid, type WindowGrid } from '../domain/window-grid.js';
import { LabelStore, STORE_FILE } from '../store/label-store.js';
import { inRandomSample, labelsOf, type DecisionKind } from '../domain/labels.js';
import { labelSet } from '../ml/label-sets.js';
import type { LabeledExample } from '../ml/model.js';
import type { LabelRecord } from '../domain/labels.js';
import { StoreError } from '../store/store-error.js';
import { UserError } from '../domain/user-error.js';
import { resolveSettings, type SettingFlags, type Settings } from './settings.js';

/** Where a media folder's store lives unless --store says otherwise: outside the (maybe read-only) media folder. */
export function defaultStoreDir(mediaRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const abs = resolve(mediaRoot);
  const id = createHash('sha1').update(abs).digest('hex').slice(0, 8);
  return join(defaultStoresRoot(env), `${basename(abs) || 'root'}-${id}`);
}

/** The folder that holds the default stores, one per media folder. */
export function defaultStoresRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'hark');
}

/**
 * Before a media folder gets a new default store: the default store is found by the folder's path, so a renamed or
 * moved folder would start empty beside the store that holds its labels. When another store has seen most of these
 * files (same names and sizes), say so and how to use it, and create nothing.
 */
async function refuseIfLabelsElsewhere(media: string, storeDir: string): Promise<void> {
  if (existsSync(join(storeDir, STORE_FILE))) return;
  const lookalikes = await findLookalikeStores(defaultStoresRoot(), await listMediaFiles(media));
  if (lookalikes.length === 0) return;
  const lines = lookalikes.map((s) => `  ${s.dir}: ${s.labels} labels${s.mediaRoot ? `, made for ${s.mediaRoot}` : ''} (${Math.round(s.shared * 100)}% of these files)`);
  throw new StoreError(
    [
      `${resolve(media)} has no store yet, but these stores hold labels for the same files (same names and sizes):`,
      ...lines,
      `To go on with one: hark label '${media}' --store '${lookalikes[0].dir}'`,
      `To start an empty store instead: hark label '${media}' --store '${storeDir}'`,
    ].join('\n'),
  );
}

export interface Collection {
  store: LabelStore;
  root: string;
  files: MediaFile[];
  problems: ScanProblem[];
  grid: WindowGrid;
  /** this run's settings (flag, else store, else default) */
  settings: Settings;
  /** one line each: flags saved as the store's settings, or refused */
  notices: string[];
}

/**
 * Where stored decisions fall on the collection's window grid: a record's window, or -1 when its file is not in the
 * collection. A start written as rounded decimals may sit a hair before its window: a microsecond of slack covers it.
 */
export function recordWindows({ files, grid }: Pick<Collection, 'files' | 'grid'>): (r: Pick<LabelRecord, 'file' | 'start'>) => number {
  const fileIndex = new Map(files.map((f, i) => [f.path, i]));
  return (r) => {
    const f = fileIndex.get(r.file);
    return f === undefined ? -1 : grid.windowAt(f, r.start + 1e-6);
  };
}

/** An earlier decision from the store, placed on the grid. */
export interface PriorDecision {
  window: number;
  label: string;
  /** every label of the clip: [label], or more when it holds more than one sound */
  labels: readonly string[];
  kind: DecisionKind;
  how: string;
  sampled: boolean;
  drawProbability?: number;
  weighted?: boolean;
}

/**
 * The store's decisions placed on the window grid, in the order made; a later decision about a window replaces an
 * earlier one and takes its place in that order, as in the labeler.
 */
export function priorDecisions(collection: Pick<Collection, 'files' | 'grid' | 'store'>): PriorDecision[] {
  const windowOf = recordWindows(collection);
  const byWindow = new Map<number, PriorDecision>();
  for (const r of collection.store.records) {
    const window = windowOf(r);
    if (window >= 0) {
      byWindow.delete(window);
      byWindow.set(window, { window, label: r.label, labels: labelsOf(r), kind: r.kind, how: r.how, sampled: r.sampled === true, drawProbability: r.drawProbability, weighted: r.weighted });
    }
  }
  return [...byWindow.values()];
}

/** A labeled decision as the model and the estimate read it: its window and label, and how the random arm drew it. */
export function labeledExample(d: PriorDecision): LabeledExample {
  return { window: d.window, label: labelSet(d.labels), random: inRandomSample(d), drawProbability: d.drawProbability, weighted: d.weighted };
}

export interface OpenOptions {
  /** media folder; when omitted, the one remembered in the store */
  media?: string;
  store?: string;
  /** for commands that only read labels (apply, evaluate) and may run beside a labeler: no lock, labels untouched */
  readOnly?: boolean;
  /** settings given on the command line; saved in the store when they change it (see resolveSettings) */
  flags?: SettingFlags;
  /** each save waits until it is on the disk itself (survives a power cut) */
  fsync?: boolean;
  /** whose journal this process writes (see LabelStore.open) */
  annotator?: string;
  onScanProgress?: (done: number, total: number) => void;
  /** recordings known without probing them (a shard's, from the saved model), and which others may be probed */
  known?: KnownRecordings;
}

export interface KnownRecordings {
  /** by probeKey: what a probe would say */
  probes: ReadonlyMap<string, ProbeInfo>;
  /** a recording not known (or changed since) that may be probed; the others are left out */
  mayProbe(path: string): boolean;
}

/** Opens the store, remembers or recalls the media root, and scans it (probe results cached in the store). */
export async function openCollection(opts: OpenOptions): Promise<Collection> {
  if (!opts.media && !opts.store) throw new StoreError('Name a media folder or a --store folder.');
  if (opts.media && !(existsSync(opts.media) && statSync(opts.media).isDirectory())) {
    throw new StoreError(`Media folder not found: ${opts.media}`);
  }
  const dir = opts.store ?? defaultStoreDir(opts.media!);
  if (!opts.store) await refuseIfLabelsElsewhere(opts.media!, dir);
  const created = !existsSync(dir);
  const store = await LabelStore.open(dir, { readOnly: opts.readOnly, fsync: opts.fsync, annotator: opts.annotator });
  try {
    const root = opts.media ? resolve(opts.media) : store.config.mediaRoot;
    if (!root) throw new StoreError(`The store ${store.dir} does not know its media folder yet: name it on the command line.`);
    if (!existsSync(root)) throw new StoreError(`The media folder ${root} (remembered in ${store.file}) is not there.`);
    const { values: settings, save, notices } = resolveSettings(opts.flags ?? {}, store.config, { decisions: store.records.length });
    const changes = { ...save, ...(store.config.mediaRoot !== root && { mediaRoot: root }) };
    if (Object.keys(changes).length && !opts.readOnly) await store.setConfig(changes);
    const probes = store.probeCache();
    const { known } = opts;
    const cache = known ? { get: (key: string) => known.probes.get(key) ?? probes.get(key), set: probes.set } : probes;
    const { files, problems } = await scanMedia(root, { cache, mayProbe: known?.mayProbe, onProgress: opts.onScanProgress });
    if (files.length === 0) throw new UserError(`No playable recordings in ${root}${problems.length ? ` (${unusable(problems)})` : ''}.`);
    await store.saveProbes(); // only a cache: safe beside a labeler, and it spares the next run its probes
    const grid = buildWindowGrid(files.map((f) => f.duration), settings.clip);
    return { store, root, files, problems, grid, settings, notices };
  } catch (err) {
    store.close();
    if (created) rmSync(dir, { recursive: true, force: true }); // a failed first run leaves no empty store behind
    throw err;
  }
}

function unusable(problems: readonly ScanProblem[]): string {
  const [first] = problems;
  return `${problems.length} file(s) hark cannot use, e.g. ${first.path}: ${first.reason}`;
}
