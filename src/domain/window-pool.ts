/**
 * A uniform random pool of a large collection's windows, which the labeler ranks instead of every window so its
 * memory and latency stay bounded however large the collection grows. Each window is in the pool with the same
 * chance, `share`, decided by a hash of the seed, its recording's path and its place in the recording: the same
 * seed gives the same pool on every run (a resumed session ranks the same windows), and a recording added later
 * does not move the windows of the others in or out.
 */
export interface PoolDraw {
  seed: number;
  /** the chance each window is in the pool */
  share: number;
}

export interface WindowPool {
  /** the pool's windows (collection window numbers), ascending */
  windows: Int32Array;
  /** first pool entry of each file, then the pool's size: the pool's own grid offsets */
  offsets: Int32Array;
  /** windows in the whole collection: the population the pool stands for */
  population: number;
}

/** FNV-1a of a string, the start of each of its windows' hashes. */
function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's finaliser: every input bit moves every output bit. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The pool drawn over a collection's recordings (their paths) and its grid offsets. */
export function drawWindowPool(paths: readonly string[], offsets: Int32Array, draw: PoolDraw): WindowPool {
  const below = Math.min(2 ** 32, Math.round(draw.share * 2 ** 32));
  const inPool = (fileHash: number, row: number) => mix(fileHash ^ mix(row)) < below;
  const poolOffsets = new Int32Array(offsets.length);
  const hashes = paths.map((p) => mix(stringHash(p) ^ draw.seed));
  for (let f = 0; f < paths.length; f++) {
    let n = 0;
    for (let row = 0, rows = offsets[f + 1] - offsets[f]; row < rows; row++) if (inPool(hashes[f], row)) n++;
    poolOffsets[f + 1] = poolOffsets[f] + n;
  }
  const windows = new Int32Array(poolOffsets[paths.length]);
  for (let f = 0, at = 0; f < paths.length; f++) {
    for (let row = 0, rows = offsets[f + 1] - offsets[f]; row < rows; row++) if (inPool(hashes[f], row)) windows[at++] = offsets[f] + row;
  }
  return { windows, offsets: poolOffsets, population: offsets[offsets.length - 1] };
}

/** A collection window's place in the pool, or -1 when it is not in the pool. */
export function poolIndexOf(pool: WindowPool, window: number): number {
  const { windows } = pool;
  let lo = 0;
  let hi = windows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (windows[mid] === window) return mid;
    if (windows[mid] < window) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
