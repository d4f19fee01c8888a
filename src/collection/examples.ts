import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { decodeFile } from '../audio/decode.js';
import { extractWindowFeatures, FEATURE_DIMS, FEATURE_SAMPLE_RATE } from '../audio/features/window-features.js';
import { UserError } from '../domain/user-error.js';
import { formatClock, parseClock } from '../format/time-format.js';
import { quantize } from '../ml/quantize.js';
import { zScore, type FeatureStats } from '../ml/z-score.js';
import type { Collection } from './open-collection.js';

/** What `--example` flags name: moments of the collection (windows) and recordings from outside it (raw vectors). */
export interface Examples {
  windows: number[];
  /** per outside recording, its window vectors as extracted (windows x FEATURE_DIMS), not yet standardised */
  outside: Float32Array[];
  /** the outside recordings' paths, in the order of `outside` */
  outsidePaths: string[];
}

export class ExampleError extends UserError {}

const EXAMPLE_FORMS = 'a moment of the collection as FILE@SECONDS or FILE@M:SS (e.g. ep12.mp3@0:14.5), or an audio file from outside it';

/**
 * Reads `--example` flags: `FILE@TIME` is the window of a collection recording at that time (seconds or m:ss(.s));
 * anything else is a recording, decoded and cut into windows as the collection is. Any problem is one ExampleError.
 */
export async function readExamples(collection: Pick<Collection, 'files' | 'grid' | 'root'>, specs: readonly string[]): Promise<Examples> {
  const examples: Examples = { windows: [], outside: [], outsidePaths: [] };
  for (const spec of specs) {
    const at = spec.lastIndexOf('@');
    const time = at > 0 ? parseClock(spec.slice(at + 1)) : undefined;
    if (time !== undefined) examples.windows.push(momentWindow(collection, spec.slice(0, at), time, spec));
    else if (at > 0 && !existsSync(spec)) throw new ExampleError(`--example ${spec}: "${spec.slice(at + 1)}" is not a time; give ${EXAMPLE_FORMS}.`);
    else {
      examples.outside.push(await recordingVectors(spec, collection.grid.clip));
      examples.outsidePaths.push(spec);
    }
  }
  return examples;
}

/** Where a store keeps the outside recordings given as examples of a label. */
export function keptExamplesDir(storeDir: string, label: string): string {
  return join(storeDir, 'examples', encodeURIComponent(label));
}

/**
 * Keeps a copy of each outside recording in the store, named by its content, so that later runs on the same
 * target learn from it too (the media it came from may be gone by then). Returns each one's copy.
 */
export function keepOutsideExamples(storeDir: string, label: string, paths: readonly string[]): string[] {
  const dir = keptExamplesDir(storeDir, label);
  return paths.map((path) => {
    const kept = join(dir, `${createHash('sha1').update(readFileSync(path)).digest('hex').slice(0, 12)}-${basename(path)}`);
    if (!existsSync(kept)) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(path, kept);
    }
    return kept;
  });
}

/** The outside recordings kept as examples of a label by earlier runs. */
export function keptOutsideExamples(storeDir: string, label: string): string[] {
  const dir = keptExamplesDir(storeDir, label);
  return existsSync(dir) ? readdirSync(dir).sort().map((name) => join(dir, name)) : [];
}

/** The collection's window at `time` seconds into `file` (a path under the media root, or a name only one file has). */
function momentWindow({ files, grid, root }: Pick<Collection, 'files' | 'grid' | 'root'>, file: string, time: number, spec: string): number {
  const underRoot = relative(root, resolve(file)).split(sep).join('/');
  const byName = files.filter((f) => basename(f.path) === basename(file));
  const index = files.findIndex((f) => f.path === file || f.path === underRoot);
  const f = index >= 0 ? index : byName.length === 1 ? files.indexOf(byName[0]) : -1;
  if (f < 0) {
    const why = byName.length > 1 ? `${byName.length} recordings are called ${basename(file)}; give its path under ${root}` : `no recording ${file} in ${root}`;
    throw new ExampleError(`--example ${spec}: ${why}.`);
  }
  const windows = grid.offsets[f + 1] - grid.offsets[f];
  const w = Math.floor(time / grid.clip + 1e-9);
  if (w >= windows) throw new ExampleError(`--example ${spec}: ${files[f].path} is only ${formatClock(files[f].duration, 1)} long.`);
  return grid.offsets[f] + w;
}

/** A recording's window vectors, extracted as the collection's are (whole windows; one if it is shorter). */
async function recordingVectors(path: string, clip: number): Promise<Float32Array> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new ExampleError(`--example ${path}: no such file; give ${EXAMPLE_FORMS}.`);
  let samples: Float32Array;
  try {
    samples = await decodeFile(path, FEATURE_SAMPLE_RATE);
  } catch (err) {
    throw new ExampleError(`--example ${path}: not audio hark can decode (${(err as Error).message.split('\n')[0]}).`);
  }
  if (samples.length === 0) throw new ExampleError(`--example ${path}: not audio hark can decode (no sound in it).`);
  const windows = Math.max(1, Math.floor(samples.length / (clip * FEATURE_SAMPLE_RATE) + 1e-9));
  return extractWindowFeatures(samples, { windows, clip });
}

/** An outside recording's vectors standardised with the collection's statistics and quantized, as its own are. */
export function standardisedRows(raw: Float32Array, standard: FeatureStats): Int8Array {
  return quantize(zScore(raw, FEATURE_DIMS, standard));
}
