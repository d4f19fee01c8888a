import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileIdentity, identityOfProbeKey } from '../audio/scan.js';
import { LabelStore } from '../store/label-store.js';

/** A store that holds labels for files like a collection's own. */
export interface LookalikeStore {
  dir: string;
  labels: number;
  /** the media folder the store remembers */
  mediaRoot?: string;
  /** share of the collection's files the store has seen, by relative path and size */
  shared: number;
}

/** A store whose probe cache knows at least this share of a collection's files is shown as a match. */
const MIN_SHARED = 0.5;

/**
 * The stores under `storesRoot` (the default stores' folder) that hold labels and have seen most of these files,
 * best match first: the store of a media folder that was renamed or moved, which hark cannot find by the path.
 */
export async function findLookalikeStores(storesRoot: string, files: readonly { path: string; size: number }[]): Promise<LookalikeStore[]> {
  if (files.length === 0) return [];
  const wanted = new Set(files.map(fileIdentity));
  let dirs: string[];
  try {
    dirs = readdirSync(storesRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(storesRoot, d.name));
  } catch {
    return [];
  }
  const found: LookalikeStore[] = [];
  for (const dir of dirs) {
    const seen = probedIdentities(dir);
    const shared = [...wanted].filter((id) => seen.has(id)).length / wanted.size;
    if (shared < MIN_SHARED) continue;
    try {
      const store = await LabelStore.open(dir, { readOnly: true });
      if (store.records.length) found.push({ dir, labels: store.records.length, mediaRoot: store.config.mediaRoot, shared });
      store.close();
    } catch {
      // not a store hark can read: nothing to offer
    }
  }
  return found.sort((a, b) => b.shared - a.shared || b.labels - a.labels);
}

/** The files a store's probe cache (probes.json) has seen. */
function probedIdentities(dir: string): Set<string> {
  try {
    return new Set(Object.keys(JSON.parse(readFileSync(join(dir, 'probes.json'), 'utf8')) as object).map(identityOfProbeKey));
  } catch {
    return new Set();
  }
}
