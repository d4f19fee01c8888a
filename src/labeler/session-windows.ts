import { poolIndexOf, type WindowPool } from '../domain/window-pool.js';
import type { Choice } from '../ml/choice.js';

/**
 * Between the collection's window numbers (the store, the screen) and a LearningSession's: the same without a pool;
 * with one, the session's windows are the pool's entries, and windows outside the pool have none (-1).
 */
export interface SessionWindows {
  /** the session's windows: the pool's size, or the collection's */
  count: number;
  /** first session window of each file, then count */
  offsets: Int32Array;
  /** windows the session's stand for: the whole collection */
  population: number;
  toSession(window: number): number;
  toCollection(sessionWindow: number): number;
}

export function sessionWindows(offsets: Int32Array, pool?: WindowPool): SessionWindows {
  const population = offsets[offsets.length - 1];
  if (!pool) return { count: population, offsets, population, toSession: (w) => w, toCollection: (w) => w };
  return {
    count: pool.windows.length,
    offsets: pool.offsets,
    population,
    toSession: (w) => poolIndexOf(pool, w),
    toCollection: (w) => pool.windows[w],
  };
}

/** Session windows of collection windows; those outside the pool are left out. */
export function inSession(map: SessionWindows, windows: Iterable<number>): Set<number> {
  const out = new Set<number>();
  for (const w of windows) {
    const s = map.toSession(w);
    if (s >= 0) out.add(s);
  }
  return out;
}

/** Choices in collection windows; a random draw's chance is the pool's share of the chance within the pool. */
export function choicesInCollection(map: SessionWindows, choices: Choice[]): Choice[] {
  const share = map.count / map.population;
  return choices.map((c) => ({ ...c, window: map.toCollection(c.window), drawProbability: c.drawProbability * share }));
}
