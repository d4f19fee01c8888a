import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { extractAll, featureKey, type ExtractProgress } from '../audio/features/extract-pool.js';
import { FEATURE_DIMS, FEATURE_VERSION } from '../audio/features/window-features.js';
import { UserError } from '../domain/user-error.js';
import { exampleLabels, fitModel, heldApart, type FittedModel, type Model } from '../ml/model.js';
import { decodeModel, encodeModel } from '../ml/model-codec.js';
import type { LabeledWindowOf } from '../ml/model-scores.js';
import { quantize } from '../ml/quantize.js';
import { RunningStats, zScore } from '../ml/z-score.js';
import { featureCacheDir, readCachedFeatures } from '../store/feature-cache.js';
import { writeAtomically } from '../store/atomic-write.js';
import { labeledExample, priorDecisions, type Collection } from './open-collection.js';

/** A model fitted once from the store's labels and kept in the store, so every shard of an apply scores with it. */
export interface SavedModel {
  /** the model and its examples' held-out votes */
  fitted: FittedModel;
  /** the labeled windows it learned from, in the order labeled, and whether each is in the random sample */
  labeled: LabeledWindowOf[];
  /** names this model in the shards' done markers: a part scored with another model is not merged */
  hash: string;
  /** file index -> why its audio could not be decoded when the model was fitted: no shard scores it */
  failed: Map<number, string>;
}

export function modelFile(storeDir: string): string {
  return join(storeDir, 'model', 'model.json');
}

export interface FitOptions {
  workers?: number;
  onProgress?(progress: ExtractProgress): void;
  signal?: AbortSignal;
}

/**
 * Fits the model from every label in the store, as `hark apply` does in one run: the standardisation statistics over
 * every recording (read from the feature cache in collection order; anything missing is extracted), then the
 * labeled windows' vectors. Only one recording's vectors are in memory at a time. Saved to modelFile().
 */
export async function fitSavedModel(collection: Collection, opts: FitOptions = {}): Promise<SavedModel> {
  const { files, grid, store } = collection;
  const cacheDir = featureCacheDir(store.dir);
  const stats = new RunningStats(FEATURE_DIMS);
  const failed = new Map<number, string>();
  await extractAll(files, grid, {
    cacheDir,
    workers: opts.workers,
    onFile: (_, vectors) => stats.add(vectors),
    onFailed: (f, reason) => failed.set(f, reason),
    onProgress: opts.onProgress,
  }, opts.signal);
  const standard = stats.stats();
  const labeled: LabeledWindowOf[] = priorDecisions(collection)
    .filter((d) => d.kind === 'label' && !failed.has(grid.fileOf(d.window)))
    .map(labeledExample);
  const rows = new Int8Array(labeled.length * FEATURE_DIMS);
  for (const f of new Set(labeled.map((d) => grid.fileOf(d.window)))) {
    const raw = await readCachedFeatures(cacheDir, featureKey(files, grid, f));
    if (!raw) throw new UserError(`The cached features of ${files[f].path} vanished while the model was fitted: run the same command again.`);
    const vectors = quantize(zScore(raw, FEATURE_DIMS, standard, raw));
    labeled.forEach((d, j) => {
      if (grid.fileOf(d.window) !== f) return;
      const local = d.window - grid.offsets[f];
      rows.set(vectors.subarray(local * FEATURE_DIMS, (local + 1) * FEATURE_DIMS), j * FEATURE_DIMS);
    });
  }
  const windows = labeled.map((d) => d.window);
  const fitted = fitModel({ vectors: rows, dims: FEATURE_DIMS, labels: labeled.map((d) => d.label), windows, standard, apart: heldApart(grid.offsets, grid.clip) });
  const saved: ModelFile = {
    format: 1,
    collection: fingerprint(collection),
    model: encodeModel(fitted.model),
    heldOut: fitted.heldOut.map((votes) => Array.from(votes)),
    random: labeled.map((d) => d.random),
    drawProbability: labeled.map((d) => d.drawProbability ?? null),
    weighted: labeled.map((d) => d.weighted ?? null),
    failed: [...failed].map(([f, reason]) => ({ file: files[f].path, reason })),
    recordings: files.map(({ path, size, mtimeMs, duration, sampleRate, channels, codec }) => ({ path, size, mtimeMs: Math.round(mtimeMs), duration, sampleRate, channels, codec: codec ?? '' })),
  };
  const text = `${JSON.stringify(saved)}\n`;
  writeAtomically(modelFile(store.dir), text);
  return { fitted, labeled, hash: hashOf(text), failed };
}

/** The saved model, if it was fitted on this collection as it is now; otherwise a one-line error saying what to do. */
export function loadSavedModel(collection: Collection): SavedModel {
  const file = modelFile(collection.store.dir);
  const refit = `run hark apply --store ${collection.store.dir} --fit first`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`No model is saved in ${dirname(file)}: ${refit}.`);
  }
  let saved: ModelFile;
  let model: Model;
  try {
    saved = JSON.parse(text) as ModelFile;
    model = decodeModel(saved.model);
  } catch {
    throw new UserError(`The saved model ${file} is damaged: ${refit}.`);
  }
  if (saved.collection !== fingerprint(collection)) {
    throw new UserError(`The saved model ${file} was fitted on other recordings or features than the collection has now: ${refit}.`);
  }
  const labeled = [...model.exampleWindow].map((window, j) => ({
    window,
    label: exampleLabels(model, j),
    random: saved.random[j],
    drawProbability: saved.drawProbability?.[j] ?? undefined,
    weighted: saved.weighted?.[j] ?? undefined,
  }));
  const byPath = new Map(collection.files.map((f, i) => [f.path, i]));
  return {
    fitted: { model, heldOut: saved.heldOut.map((votes) => Float32Array.from(votes)) },
    labeled,
    hash: hashOf(text),
    failed: new Map(saved.failed.map((x) => [byPath.get(x.file)!, x.reason])),
  };
}

interface ModelFile {
  format: 1;
  /** the recordings, their windows and the extractor the model was fitted on */
  collection: string;
  /** encodeModel's text */
  model: string;
  /** heldOut[c][j]: the model's vote for class c on example j, its own label left out */
  heldOut: number[][];
  /** whether example j is in the random sample */
  random: boolean[];
  /** how example j was drawn (LabelRecord.drawProbability and .weighted); absent in models saved before weighted draws */
  drawProbability?: (number | null)[];
  weighted?: (boolean | null)[];
  failed: { file: string; reason: string }[];
  /** the recordings as probed when the model was fitted, in collection order (absent in models saved before shards read it) */
  recordings?: SavedRecording[];
}

/** A recording as the fit found it: enough to place it on the window grid and to know it again unprobed. */
export interface SavedRecording {
  path: string;
  size: number;
  /** rounded, as probeKey and the fingerprint read it */
  mtimeMs: number;
  duration: number;
  sampleRate: number;
  channels: number;
  codec: string;
}

/**
 * The recordings the saved model was fitted on, so a shard finds its share without probing every recording; none
 * when no model is saved or it was saved before models listed them.
 */
export function savedRecordings(storeDir: string): SavedRecording[] | undefined {
  try {
    return (JSON.parse(readFileSync(modelFile(storeDir), 'utf8')) as ModelFile).recordings;
  } catch {
    return undefined; // loadSavedModel says what is wrong, once the collection is open
  }
}

/** Window indices in the model refer to this grid: the same recordings, durations, clip and extractor. */
function fingerprint({ files, grid }: Collection): string {
  const hash = createHash('sha256').update(JSON.stringify([FEATURE_VERSION, FEATURE_DIMS, grid.clip]));
  for (const f of files) hash.update(JSON.stringify([f.path, f.size, Math.round(f.mtimeMs), f.duration]));
  return hash.digest('hex').slice(0, 16);
}

export function hashOf(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
