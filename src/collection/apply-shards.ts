import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { featureKey } from '../audio/features/extract-pool.js';
import { formatShard, shardOf, type Shard } from '../domain/shard.js';
import { UserError } from '../domain/user-error.js';
import { answerEstimate, flaggedUnlabeled, type AnswerEstimate } from '../ml/answer-estimate.js';
import { scoreWindows } from '../ml/model.js';
import { quantize } from '../ml/quantize.js';
import { detectRanges, type RangeOptions } from '../ml/ranges.js';
import { zScore } from '../ml/z-score.js';
import { writeAtomically } from '../store/atomic-write.js';
import { featureCacheDir, readCachedFeatures } from '../store/feature-cache.js';
import type { PredictedRange } from '../store/range-exports.js';
import type { Collection } from './open-collection.js';
import { hashOf, type SavedModel } from './saved-model.js';

/**
 * Where shard i of n of an apply keeps its part, inside the store (shared by the machines): the one place that names
 * it. A part is `part.json` plus a `done` marker naming the model it was scored with and the part's hash, written
 * last: a shard that was interrupted, or scored with another model, has no valid marker and is never merged.
 */
export function shardPartDir(storeDir: string, { index, count }: Shard): string {
  return join(shardsRoot(storeDir), `${index}-of-${count}`);
}

const shardsRoot = (storeDir: string) => join(storeDir, 'shards', 'apply');
const PART_FILE = 'part.json';
const DONE_FILE = 'done';

/** What one shard found in its recordings. */
export interface ShardPart {
  shard: Shard;
  /** the saved model's hash */
  model: string;
  labels: string[];
  options: RangeOptions;
  /** ranges with the index of their recording, label by label, recording by recording */
  ranges: (PredictedRange & { fileIndex: number })[];
  /** flags[label]: [j, 1 or 0] for the labeled windows j in this shard: would apply mark it without its label */
  flags: Record<string, [number, number][]>;
  /** seconds this shard took */
  seconds: number;
}

/**
 * Scores shard `shard` of the collection's recordings with the saved model and writes its part, replacing whatever
 * an earlier run of this shard left. The features must be cached (hark extract).
 */
export async function applyShard(collection: Collection, saved: SavedModel, shard: Shard, labels: string[], options: RangeOptions, signal?: AbortSignal): Promise<ShardPart> {
  const started = Date.now();
  const dir = shardPartDir(collection.store.dir, shard);
  rmSync(join(dir, DONE_FILE), { force: true });
  const { files, grid, store } = collection;
  const { fitted: { model, heldOut }, failed } = saved;
  const labeledAt = labeledWindows(saved);
  const part: ShardPart = { shard, model: saved.hash, labels, options, ranges: [], flags: Object.fromEntries(labels.map((l) => [l, []])), seconds: 0 };
  for (const f of shardOf(files.map((file) => file.duration), shard)) {
    signal?.throwIfAborted();
    if (failed.has(f)) continue;
    const { probabilities, self } = await scoreFile(collection, saved, f, labeledAt).catch((err) => {
      throw err instanceof MissingFeatures
        ? new UserError(`${err.message}: run hark extract ${collection.root} --store ${store.dir} --shard ${formatShard(shard)} first.`)
        : err;
    });
    for (const label of labels) {
      const c = model.classes.indexOf(label);
      const p = probabilities[c];
      for (const r of detectRanges(p, grid.clip, files[f].duration, options)) part.ranges.push({ ...r, file: files[f].path, label, fileIndex: f });
      self.forEach((j, local) => {
        if (j >= 0) part.flags[label].push([j, flaggedUnlabeled(p, local, heldOut[c][j], grid.clip, options) ? 1 : 0]);
      });
    }
  }
  part.seconds = (Date.now() - started) / 1000;
  const text = `${JSON.stringify(part)}\n`;
  writeAtomically(join(dir, PART_FILE), text);
  writeAtomically(join(dir, DONE_FILE), `${JSON.stringify({ model: saved.hash, part: hashOf(text) })}\n`);
  return part;
}

class MissingFeatures extends Error {}

/** window -> its index in the saved model's labeled windows */
export function labeledWindows(saved: SavedModel): Map<number, number> {
  return new Map(saved.labeled.map((d, j) => [d.window, j]));
}

/**
 * The saved model's probabilities for every window of recording f, one array per class, from its cached features;
 * self[local]: the labeled window's index in the model, or -1.
 */
export async function scoreFile(
  { files, grid, store }: Collection,
  { fitted: { model }, labeled }: SavedModel,
  f: number,
  labeledAt: Map<number, number>,
): Promise<{ probabilities: Float32Array[]; self: Int32Array }> {
  const raw = await readCachedFeatures(featureCacheDir(store.dir), featureKey(files, grid, f));
  if (!raw) throw new MissingFeatures(`No cached features for ${files[f].path}`);
  const vectors = quantize(zScore(raw, model.dims, model.standard!, raw));
  const first = grid.offsets[f];
  const self = Int32Array.from({ length: grid.offsets[f + 1] - first }, (_, local) => labeledAt.get(first + local) ?? -1);
  const probabilities = scoreWindows(model, vectors, first);
  // as in scoreCollection: a person's answer beats the neighbours' vote
  self.forEach((j, local) => {
    if (j >= 0) probabilities[model.classes.indexOf(labeled[j].label)][local] = 1;
  });
  return { probabilities, self };
}

/** What apply found, whether in one run or joined from shards: all that its outputs are written from. */
export interface ApplyFound {
  labels: string[];
  /** label by label in `labels` order, recording by recording in collection order */
  ranges: PredictedRange[];
  /** file index -> why its audio could not be decoded */
  failed: Map<number, string>;
  /** labeled clips the model learned from */
  examples: number;
  estimates: Record<string, AnswerEstimate>;
}

/** Every part of a sharded apply joined: the same labels, ranges, failures and estimates one run finds. */
export interface JoinedShards extends ApplyFound {
  options: RangeOptions;
  shards: number;
  /** the shards' seconds added up */
  seconds: number;
}

/** Joins the finished parts scored with the saved model; refuses with one line naming missing or unfinished shards. */
export function joinShards(collection: Collection, saved: SavedModel): JoinedShards {
  const parts = finishedParts(collection.store.dir, saved.hash);
  const counts = [...new Set([...parts.keys()].map((s) => s.count))];
  const rerun = `hark apply --store ${collection.store.dir} --shard I/N`;
  if (counts.length === 0) throw new UserError(`No shard of this model has finished in ${shardsRoot(collection.store.dir)}: run ${rerun} for each shard first.`);
  if (counts.length > 1) throw new UserError(`Finished shards of ${counts.join(' and ')} shards are mixed in ${shardsRoot(collection.store.dir)}: rerun one split whole.`);
  const count = counts[0];
  const byIndex = new Map([...parts].filter(([s]) => s.count === count).map(([s, p]) => [s.index, p]));
  const missing = Array.from({ length: count }, (_, index) => index).filter((index) => !byIndex.has(index));
  if (missing.length) {
    const names = missing.map((index) => formatShard({ index, count }));
    throw new UserError(`Cannot merge: shard${missing.length > 1 ? 's' : ''} ${names.join(', ')} missing or unfinished; rerun each alone (${rerun.replace('I/N', names[0])}), then merge again.`);
  }
  const all = [...byIndex.values()];
  const [first] = all;
  if (all.some((p) => JSON.stringify([p.labels, p.options]) !== JSON.stringify([first.labels, first.options]))) {
    throw new UserError('Cannot merge: the shards were run with different --label or range options; rerun them with the same ones.');
  }
  const { labels, options } = first;
  const ranges = all
    .flatMap((p) => p.ranges)
    .sort((a, b) => labels.indexOf(a.label) - labels.indexOf(b.label) || a.fileIndex - b.fileIndex)
    .map(({ fileIndex: _, ...range }) => range);
  const estimates = Object.fromEntries(
    labels.map((label) => {
      const flagged = new Uint8Array(saved.labeled.length);
      for (const p of all) for (const [j, flag] of p.flags[label]) flagged[j] = flag;
      const windows = saved.labeled.map((d, j) => ({ positive: d.label === label, random: d.random, flagged: flagged[j] === 1 }));
      return [label, answerEstimate(windows, collection.grid.count)];
    }),
  );
  const seconds = all.reduce((s, p) => s + p.seconds, 0);
  return { labels, ranges, failed: saved.failed, examples: saved.labeled.length, estimates, options, shards: count, seconds };
}

/** The parts whose done marker names this model and whose part file is the one the marker hashed. */
function finishedParts(storeDir: string, modelHash: string): Map<Shard, ShardPart> {
  const root = shardsRoot(storeDir);
  const parts = new Map<Shard, ShardPart>();
  if (!existsSync(root)) return parts;
  for (const name of readdirSync(root)) {
    const match = /^(\d+)-of-(\d+)$/.exec(name);
    if (!match) continue;
    try {
      const done = JSON.parse(readFileSync(join(root, name, DONE_FILE), 'utf8')) as { model: string; part: string };
      const text = readFileSync(join(root, name, PART_FILE), 'utf8');
      if (done.model !== modelHash || done.part !== hashOf(text)) continue;
      parts.set({ index: Number(match[1]), count: Number(match[2]) }, JSON.parse(text) as ShardPart);
    } catch {
      // no marker or no part: unfinished
    }
  }
  return parts;
}
