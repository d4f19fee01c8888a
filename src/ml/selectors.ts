import { fileOfWindow } from '../domain/window-grid.js';

/** Where windows sit in time: the first window of each file, then the total (a WindowGrid's offsets). */
export interface Spacing {
  offsets: Int32Array;
  /** windows either side of a queued or labeled window that should not be queued as well */
  gap: number;
}

/**
 * Windows one pass over the scores keeps for selectTopK's picks: enough for several picks and the windows they crowd
 * out, so a large collection is read once per query, not once per pick.
 */
const CANDIDATES = 64;

/**
 * Up to k of the `eligible` windows with the highest scores, best first, ties broken uniformly at random.
 * No two chosen windows lie within `gap` windows of each other in the same file, nor of a window in `near`
 * (labeled or already queued), unless every remaining eligible window is that close.
 */
export function selectTopK(
  scores: ArrayLike<number>,
  k: number,
  eligible: Uint8Array,
  spacing: Spacing,
  near: Iterable<number>,
  rand: () => number,
  /** reusable buffers of eligible's length, so a caller on a hot path allocates nothing */
  work: { open: Uint8Array; crowded: Uint8Array } = { open: new Uint8Array(eligible.length), crowded: new Uint8Array(eligible.length) },
): number[] {
  const { open, crowded } = work;
  open.set(eligible);
  crowded.fill(0);
  for (const w of near) markAround(crowded, w, spacing);
  const chosen: number[] = [];
  const take = (w: number) => {
    chosen.push(w);
    open[w] = 0;
    markAround(crowded, w, spacing);
  };
  // the best uncrowded windows in order: each pick is the first of them its predecessors left uncrowded
  for (const w of bestCandidates(scores, open, crowded, Math.max(CANDIDATES, 4 * k), rand)) {
    if (chosen.length === k) return chosen;
    if (!crowded[w]) take(w);
  }
  // only when the picks crowded out every candidate: a pass per pick from here
  while (chosen.length < k) {
    const best = bestOf(scores, open, crowded, rand) ?? bestOf(scores, open, undefined, rand);
    if (best === undefined) break;
    take(best);
  }
  return chosen;
}

/**
 * The `size` open, uncrowded windows with the highest scores, best first. Each window that competes for a place gets
 * a random key, and ties go to the higher key: the windows kept among equal scores, and their order, are uniformly
 * random.
 */
function bestCandidates(scores: ArrayLike<number>, open: Uint8Array, crowded: Uint8Array, size: number, rand: () => number): Int32Array {
  const windows = new Int32Array(size);
  const kept = new Float64Array(size);
  const keys = new Float64Array(size);
  let n = 0;
  let lowest = 0;
  const findLowest = () => {
    lowest = 0;
    for (let i = 1; i < size; i++) if (kept[i] < kept[lowest] || (kept[i] === kept[lowest] && keys[i] < keys[lowest])) lowest = i;
  };
  for (let w = 0; w < open.length; w++) {
    if (!open[w] || crowded[w]) continue;
    const s = scores[w] === scores[w] ? scores[w] : -Infinity; // NaN counts as the lowest score
    if (n < size) {
      windows[n] = w;
      kept[n] = s;
      keys[n++] = rand();
      if (n === size) findLowest();
      continue;
    }
    if (s < kept[lowest]) continue;
    const key = rand();
    if (s === kept[lowest] && key <= keys[lowest]) continue;
    windows[lowest] = w;
    kept[lowest] = s;
    keys[lowest] = key;
    findLowest();
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => kept[b] - kept[a] || keys[b] - keys[a]);
  return Int32Array.from(order, (i) => windows[i]);
}

/** Index of the highest score among open (and not crowded) windows; ties by reservoir sampling. */
function bestOf(scores: ArrayLike<number>, open: Uint8Array, crowded: Uint8Array | undefined, rand: () => number): number | undefined {
  let best: number | undefined;
  let bestScore = -Infinity;
  let ties = 0;
  for (let w = 0; w < open.length; w++) {
    if (!open[w] || (crowded && crowded[w])) continue;
    const s = scores[w];
    if (s > bestScore || best === undefined) {
      best = w;
      bestScore = s;
      ties = 1;
    } else if (s === bestScore && rand() * ++ties < 1) {
      best = w;
    }
  }
  return best;
}

function markAround(mask: Uint8Array, w: number, { offsets, gap }: Spacing): void {
  const file = fileOfWindow(offsets, w);
  const from = Math.max(offsets[file], w - gap);
  const to = Math.min(offsets[file + 1] - 1, w + gap);
  mask.fill(1, from, to + 1);
}

/** One window of `windows` drawn uniformly among those `isAvailable` accepts (availableCount of them), or -1. */
export function drawUniform(isAvailable: (w: number) => boolean, windows: number, availableCount: number, rand: () => number): number {
  if (availableCount <= 0) return -1;
  if (availableCount * 4 >= windows) {
    for (;;) {
      const w = Math.floor(rand() * windows);
      if (isAvailable(w)) return w;
    }
  }
  let rank = Math.floor(rand() * availableCount);
  for (let w = 0; w < windows; w++) if (isAvailable(w) && rank-- === 0) return w;
  return -1;
}
