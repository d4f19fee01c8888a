/** The grid of clip-length windows over a collection: window i is one clip of one file. */
export interface WindowGrid {
  readonly clip: number;
  /** total number of windows */
  readonly count: number;
  /** first window index of each file (length = files + 1; the last entry is count) */
  readonly offsets: Int32Array;
  fileOf(window: number): number;
  startOf(window: number): number;
  durationOf(window: number): number;
  /** the window of a file that contains time t, or -1 */
  windowAt(file: number, t: number): number;
}

/** A file gets floor(duration / clip) windows, and one shorter window when it is shorter than a clip. */
export function windowsInFile(duration: number, clip: number): number {
  if (!(duration > 0)) return 0;
  return Math.max(1, Math.floor(duration / clip + 1e-9));
}

/** The file a window belongs to, from a grid's offsets (first window of each file, then the count). */
export function fileOfWindow(offsets: Int32Array, w: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= w) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function buildWindowGrid(durations: readonly number[], clip: number): WindowGrid {
  const offsets = new Int32Array(durations.length + 1);
  for (let f = 0; f < durations.length; f++) offsets[f + 1] = offsets[f] + windowsInFile(durations[f], clip);
  const count = offsets[durations.length];
  const fileOf = (w: number) => fileOfWindow(offsets, w);
  const startOf = (w: number) => (w - offsets[fileOf(w)]) * clip;
  return {
    clip,
    count,
    offsets,
    fileOf,
    startOf,
    durationOf: (w) => Math.min(clip, durations[fileOf(w)] - startOf(w)),
    windowAt: (file, t) => {
      const n = offsets[file + 1] - offsets[file];
      const k = Math.floor(t / clip + 1e-9);
      return k >= 0 && k < n ? offsets[file] + k : -1;
    },
  };
}
