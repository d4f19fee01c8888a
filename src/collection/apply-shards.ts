import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { featureKey } from '../audio/features/extract-pool.js';
import { formatShard, shardOf, type Shard } from '../domain/shard.js';
import { UserError } from '../domain/user-error.js';
import { namesIn } from '../ml/label-sets.js';
import { scoreWindows } from '../ml/model.js';
import type { CollectionScores } from '../ml/model-scores.js';
import { quantize } from '../ml/quantize.js';
import { zScore } from '../ml/z-score.js';
import { writeAtomically } from '../store/atomic-write.js';
import { featureCacheDir, readCachedFeatures } from '../store/feature-cache.js';
import type { Collection, KnownRecordings } from './open-collection.js';
import { hashOf, savedRecordings, type SavedModel } from './saved-model.js';
import { probeKey } from '../audio/scan.js';

/**
 * Where shard i of n of an apply keeps its part, inside the store (shared by the machines): the one place that names
 * it. A part is the saved model's probabilities for the shard's recordings (`scores.f32`, label by label, recording
 * by recording), `part.json` saying which, and a `done` marker naming the model and both files' hashes, written
 * last: a shard that was interrupted, or scored with another model, has no valid marker and is never merged.
 * Ranges are made at the merge, from every recording's scores, exactly as one apply makes them: a smoothing that
 * learns event lengths over the whole collection gives the same answer whether the scoring was split or not.
 */
export function shardPartDir(storeDir: string, { index, count }: Shard): string {
  return join(shardsRoot(storeDir), `${index}-of-${count}`);
}

const shardsRoot = (storeDir: string) => join(storeDir, 'shards', 'apply');
const PART_FILE = 'part.json';
const SCORES_FILE = 'scores.f32';
const DONE_FILE = 'done';

/** What one shard scored. */
export interface ShardPart {
  shard: Shard;
  /** the saved model's hash */
  model: string;
  /** the model's classes, in the order of the scores */
  labels: string[];
  /** the recordings scored, in collection order */
  files: number[];
  /** seconds this shard took */
  seconds: number;
}

/**
 * Scores shard `shard` of the collection's recordings with the saved model and writes its part, replacing whatever
 * an earlier run of this shard left. The features must be cached (hark extract).
 */
export async function applyShard(collection: Collection, saved: SavedModel, shard: Shard, signal?: AbortSignal): Promise<ShardPart> {
  const started = Date.now();
  const dir = shardPartDir(collection.store.dir, shard);
  rmSync(join(dir, DONE_FILE), { force: true });
  const { files, grid, store } = collection;
  const { model } = saved.fitted;
  const labeledAt = new Map(saved.labeled.map((d, j) => [d.window, j]));
  const mine = shardOf(files.map((file) => file.duration), shard).filter((f) => !saved.failed.has(f));
  const perFile: Float32Array[][] = [];
  for (const f of mine) {
    signal?.throwIfAborted();
    perFile.push(
      await scoreFile(collection, saved, f, labeledAt).catch((err) => {
        throw err instanceof MissingFeatures
          ? new UserError(`${err.message}: run hark extract ${collection.root} --store ${store.dir} --shard ${formatShard(shard)} first.`)
          : err;
      }),
    );
  }
  const windows = mine.reduce((n, f) => n + grid.offsets[f + 1] - grid.offsets[f], 0);
  const scores = new Float32Array(windows * model.classes.length);
  let at = 0;
  for (let c = 0; c < model.classes.length; c++) for (const probabilities of perFile) (scores.set(probabilities[c], at), (at += probabilities[c].length));
  const part: ShardPart = { shard, model: saved.hash, labels: model.classes, files: mine, seconds: (Date.now() - started) / 1000 };
  const text = `${JSON.stringify(part)}\n`;
  const bytes = Buffer.from(scores.buffer, scores.byteOffset, scores.byteLength);
  writeAtomically(join(dir, PART_FILE), text);
  writeAtomically(join(dir, SCORES_FILE), bytes);
  writeAtomically(join(dir, DONE_FILE), `${JSON.stringify({ model: saved.hash, part: hashOf(text), scores: hashOf(bytes) })}\n`);
  return part;
}

/**
 * What a shard's scan needs to know of the recordings: each as the model's fit found it, so only recordings of this
 * shard's share that changed since are probed (none outside it: a broken or slow recording elsewhere is not this
 * shard's to wait for). Undefined for a model saved before it listed its recordings: then every one is probed.
 */
export function shardScan(storeDir: string, shard: Shard): KnownRecordings | undefined {
  const listed = savedRecordings(storeDir);
  if (!listed) return undefined;
  const mine = new Set(shardOf(listed.map((r) => r.duration), shard).map((f) => listed[f].path));
  return {
    probes: new Map(listed.map(({ path, size, mtimeMs, ...info }) => [probeKey({ path, size, mtimeMs }), { ...info, tags: {} }])),
    mayProbe: (path) => mine.has(path),
  };
}

class MissingFeatures extends Error {}

/** The saved model's probabilities for every window of recording f, one array per class, from its cached features. */
async function scoreFile(
  { files, grid, store }: Collection,
  { fitted: { model }, labeled }: SavedModel,
  f: number,
  labeledAt: Map<number, number>,
): Promise<Float32Array[]> {
  const raw = await readCachedFeatures(featureCacheDir(store.dir), featureKey(files, grid, f));
  if (!raw) throw new MissingFeatures(`No cached features for ${files[f].path}`);
  const vectors = quantize(zScore(raw, model.dims, model.standard!, raw));
  const first = grid.offsets[f];
  const probabilities = scoreWindows(model, vectors, first);
  // as in scoreCollection: a person's answer beats the neighbours' vote
  for (let local = 0; local < grid.offsets[f + 1] - first; local++) {
    const j = labeledAt.get(first + local);
    if (j !== undefined) for (const label of namesIn(labeled[j].label)) probabilities[model.classes.indexOf(label)][local] = 1;
  }
  return probabilities;
}

/** Every part of a sharded apply joined: the scores one apply over the whole collection computes. */
export interface JoinedShards {
  scores: CollectionScores;
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
  const { grid } = collection;
  const { model, heldOut } = saved.fitted;
  const probabilities = model.classes.map(() => new Float32Array(grid.count));
  for (const { part, scores } of byIndex.values()) {
    let at = 0;
    for (let c = 0; c < part.labels.length; c++) {
      for (const f of part.files) {
        const length = grid.offsets[f + 1] - grid.offsets[f];
        probabilities[c].set(scores.subarray(at, at + length), grid.offsets[f]);
        at += length;
      }
    }
  }
  const seconds = [...byIndex.values()].reduce((s, { part }) => s + part.seconds, 0);
  return {
    scores: { labels: model.classes, probabilities, failed: saved.failed, labeled: saved.labeled, heldOut },
    shards: count,
    seconds,
  };
}

/** The parts whose done marker names this model and whose files are the ones the marker hashed. */
function finishedParts(storeDir: string, modelHash: string): Map<Shard, { part: ShardPart; scores: Float32Array }> {
  const root = shardsRoot(storeDir);
  const parts = new Map<Shard, { part: ShardPart; scores: Float32Array }>();
  if (!existsSync(root)) return parts;
  for (const name of readdirSync(root)) {
    const match = /^(\d+)-of-(\d+)$/.exec(name);
    if (!match) continue;
    try {
      const done = JSON.parse(readFileSync(join(root, name, DONE_FILE), 'utf8')) as { model: string; part: string; scores: string };
      const text = readFileSync(join(root, name, PART_FILE), 'utf8');
      const bytes = readFileSync(join(root, name, SCORES_FILE));
      if (done.model !== modelHash || done.part !== hashOf(text) || done.scores !== hashOf(bytes)) continue;
      const scores = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      parts.set({ index: Number(match[1]), count: Number(match[2]) }, { part: JSON.parse(text) as ShardPart, scores });
    } catch {
      // no marker or no part: unfinished
    }
  }
  return parts;
}
