import { drawWindowPool, type WindowPool } from '../domain/window-pool.js';
import type { Collection } from './open-collection.js';

/**
 * Above this many windows the labeler ranks a pool of this many. Its memory and time per label grow with the windows
 * it ranks, by about 150 bytes and 65 ns a window (a label's pass over the neighbour index, measured at 1,000 hours
 * in bench/label-at-scale.ts): at a million (about 280 hours of 1 s clips) a label is re-ranked in well under 100 ms
 * and the labeler stays near 320 MB, with room for a slower laptop.
 */
export const DEFAULT_POOL_WINDOWS = 1_000_000;

/**
 * The uniform random pool the labeler ranks when the collection has more windows than the pool setting (flag, else
 * store, else DEFAULT_POOL_WINDOWS), or undefined when it ranks every window. The pool is drawn once and its seed
 * kept in the store, so a resumed session ranks the same windows; a new setting draws a new pool. A flag that
 * changes the store's setting is saved.
 */
export async function labelingPool(collection: Pick<Collection, 'store' | 'files' | 'grid'>, flag?: number): Promise<WindowPool | undefined> {
  const { store, files, grid } = collection;
  const size = flag ?? store.config.poolWindows ?? DEFAULT_POOL_WINDOWS;
  if (flag !== undefined && flag !== store.config.poolWindows) await store.setConfig({ poolWindows: flag });
  if (grid.count <= size) return undefined;
  let draw = store.config.pool;
  if (draw?.windows !== size) {
    draw = { seed: Math.floor(Math.random() * 2 ** 31), share: size / grid.count, windows: size };
    await store.setConfig({ pool: draw });
  }
  return drawWindowPool(
    files.map((f) => f.path),
    grid.offsets,
    draw,
  );
}
