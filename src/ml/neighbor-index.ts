import { squaredDistance, squaredDistanceBelow, type Vectors } from './distance.js';

/** Rows filled together (fillRows), each member measured against all of them while its vector is at hand. */
const FILL_BLOCK = 64;

/** Keeps a neighbour at distance 0 (a duplicate clip) from dividing by zero while letting it dominate the vote. */
const DISTANCE_FLOOR = 1e-6;

/** A neighbour's vote weight from its squared distance: 1 / (distance + floor). */
export function voteWeight(squaredDistance: number): number {
  return 1 / (Math.sqrt(squaredDistance) + DISTANCE_FLOOR);
}

/** Extra values per window measured beside its vectors, such as its discriminant coordinates. */
export interface Coordinates {
  coordinates: Int16Array;
  dims: number;
}

/**
 * For every window, its k nearest labeled windows (squared Euclidean distance over its vector and, when given, its
 * coordinates), kept up to date one label at a time: adding a labeled window costs one pass over all vectors,
 * O(windows x dims), so the whole collection can be re-ranked after every keystroke. A window is never its own
 * neighbour, so a labeled window's row is what the model would say about it without its own label (leave-one-out).
 */
export class NeighborIndex {
  readonly count: number;
  /** row w holds neighbors[w * k ..] in increasing distance; -1 marks an empty slot */
  readonly neighbors: Int32Array;
  readonly distances: Float32Array;
  private readonly members = new Set<number>();
  private extra?: Coordinates;
  /**
   * Rows whose neighbours changed since takeChangedRows(), so a caller re-scores only those (after many labels, a
   * new label changes few rows); undefined once more changed than it holds: then every row counts as changed.
   */
  private changed?: { rows: Int32Array; count: number };
  /**
   * While the rows are filled one at a time against every member (fill): the rows in the order filled, how many are
   * done, which are, and the members in the order they joined. A member added meanwhile passes over the filled rows
   * only; the others meet it when they are filled.
   */
  private filling?: { order: Int32Array; done: number; filled: Uint8Array; members: number[] };
  /** while a window is added: each member's distance to it, by the member's row (addRows' bound) */
  private toNew?: Float32Array;

  constructor(
    readonly vectors: Vectors,
    readonly dims: number,
    readonly k: number,
    extra?: Coordinates,
  ) {
    this.extra = extra;
    this.count = vectors.length / dims;
    this.neighbors = new Int32Array(this.count * k).fill(-1);
    this.distances = new Float32Array(this.count * k).fill(Infinity);
  }

  get size(): number {
    return this.members.size;
  }

  /** Forgets every labeled window and measures with other coordinates from now on, keeping the buffers. */
  useCoordinates(extra: Coordinates | undefined): void {
    this.extra = extra;
    this.reset();
  }

  /** Forgets every labeled window, keeping the buffers: for when the vectors were rewritten in place. */
  reset(): void {
    this.members.clear();
    this.filling = undefined;
    this.neighbors.fill(-1);
    this.distances.fill(Infinity);
    this.changed = undefined;
  }

  /** The rows changed since the last call (see `changed`), or undefined for every row. */
  takeChangedRows(): Int32Array | undefined {
    const { changed } = this;
    this.changed = { rows: changed?.rows ?? new Int32Array(Math.max(16, this.count >> 4)), count: 0 };
    return changed && changed.rows.subarray(0, changed.count);
  }

  add(window: number): void {
    this.addRows(window, 0, this.count);
  }

  /**
   * Starts over with every one of `members` labeled at once, their neighbours found a row at a time in `order`
   * (fillRows), which holds every row: the rows wanted soonest first. The same neighbours as adding the members in
   * turn; the rows early in `order` are complete long before all are.
   */
  fill(members: readonly number[], order: Int32Array): void {
    this.reset();
    for (const m of members) this.members.add(m);
    this.filling = { order, done: 0, filled: new Uint8Array(this.count), members: [...this.members] };
  }

  /** Fills up to `count` more rows of fill()'s order; returns how many it filled. */
  fillRows(count: number): number {
    const filling = this.filling;
    if (!filling) return 0;
    const end = Math.min(filling.order.length, filling.done + count);
    const done = end - filling.done;
    for (; filling.done < end; filling.done += FILL_BLOCK) {
      const block = filling.order.subarray(filling.done, Math.min(end, filling.done + FILL_BLOCK));
      this.findNeighbors(block, filling.members);
      for (const w of block) filling.filled[w] = 1;
    }
    filling.done = end;
    if (filling.done === filling.order.length) this.filling = undefined;
    return done;
  }

  /** Rows of fill()'s order filled so far: every row once the fill is done. */
  get filledRows(): number {
    return this.filling ? this.filling.done : this.count;
  }

  /**
   * add() for rows [from, to) only: the caller covers every row, in any number of steps, before the next add or
   * remove, so a large collection's pass can be split into slices.
   */
  addRows(window: number, from: number, to: number): void {
    if (from === 0 && this.members.has(window)) return;
    if (from === 0) this.filling?.members.push(window);
    this.members.add(window);
    if (from === 0) this.measureFromMembers(window);
    const { k, neighbors, distances } = this;
    const toNew = this.toNew!;
    const filled = this.filling?.filled;
    for (let w = from; w < to; w++) {
      if (w === window || (filled && filled[w] === 0)) continue;
      const row = w * k;
      const farthest = distances[row + k - 1];
      // the triangle inequality over the row's nearest neighbour: the new window is at least this much farther from w
      // than that neighbour is; a row it cannot enter is skipped without measuring (the margin covers Float32 rounding)
      const nearest = neighbors[row];
      if (nearest >= 0) {
        const gap = toNew[nearest] - Math.sqrt(distances[row]);
        if (gap > 0 && gap * gap > farthest * (1 + 1e-6)) continue;
      }
      const d2 = this.distanceBelow(w, window, farthest);
      if (d2 < farthest) this.insert(w, window, d2);
    }
  }

  /** Each member's distance to `window` (not squared), into toNew, for addRows' bound. */
  private measureFromMembers(window: number): void {
    const toNew = (this.toNew ??= new Float32Array(this.count));
    for (const m of this.members) toNew[m] = Math.sqrt(this.distance(m, window));
  }

  /** Forgets a labeled window; only the rows that held it are recomputed, against every remaining member. */
  remove(window: number): void {
    if (!this.members.delete(window)) return;
    const members = this.filling?.members;
    members?.splice(members.indexOf(window), 1);
    const { k, neighbors, distances } = this;
    for (let w = 0; w < this.count; w++) {
      const row = w * k;
      let held = false;
      for (let j = 0; j < k && !held; j++) held = neighbors[row + j] === window;
      if (!held) continue;
      neighbors.fill(-1, row, row + k);
      distances.fill(Infinity, row, row + k);
      this.markChanged(w);
      this.findNeighbors([w], this.members);
    }
  }

  /**
   * Puts into each of `rows`, emptied or never filled, its nearest of `members`: earlier members win ties. Member by
   * member over the rows, so a member's vector is read once for all of them.
   */
  private findNeighbors(rows: ArrayLike<number>, members: Iterable<number>): void {
    const { k, distances } = this;
    for (const m of members) {
      for (let i = 0; i < rows.length; i++) {
        const w = rows[i];
        if (m === w) continue;
        const farthest = distances[w * k + k - 1];
        const d2 = this.distanceBelow(w, m, farthest);
        if (d2 < farthest) this.insert(w, m, d2);
      }
    }
  }

  /** The squared distance between two rows over coordinates and vector: the distance the model's votes weigh by. */
  distance(a: number, b: number): number {
    return this.distanceBelow(a, b, Infinity);
  }

  /** Each row's squared distance to its nearest labeled row (Infinity before any label), into `out`. */
  nearestDistances(out: Float32Array): Float32Array {
    for (let w = 0; w < out.length; w++) out[w] = this.distances[w * this.k];
    return out;
  }

  /** The squared distance over coordinates and vector, or any value at or above `bound` once it gets there. */
  private distanceBelow(a: number, b: number, bound: number): number {
    const { extra } = this;
    if (!extra) return squaredDistanceBelow(this.vectors, this.dims, a, b, bound);
    // the coordinates first: they spread windows widest, so a far window is dropped soonest
    const head = squaredDistance(extra.coordinates, extra.dims, a, b);
    return head >= bound ? head : head + squaredDistanceBelow(this.vectors, this.dims, a, b, bound - head);
  }

  private insert(w: number, neighbor: number, d2: number): void {
    insertNeighbor(this.neighbors, this.distances, w * this.k, this.k, neighbor, d2);
    this.markChanged(w);
  }

  private markChanged(w: number): void {
    const { changed } = this;
    if (!changed) return;
    if (changed.count === changed.rows.length) this.changed = undefined;
    else changed.rows[changed.count++] = w;
  }
}

/** Puts `neighbor` into the row of k slots at `row`, after any neighbour at the same distance (so earlier labels win ties). */
export function insertNeighbor(neighbors: Int32Array, distances: Float32Array, row: number, k: number, neighbor: number, d2: number): void {
  let j = k - 1;
  while (j > 0 && distances[row + j - 1] > d2) {
    distances[row + j] = distances[row + j - 1];
    neighbors[row + j] = neighbors[row + j - 1];
    j--;
  }
  distances[row + j] = d2;
  neighbors[row + j] = neighbor;
}
