import type { Clip } from '../app/session.js';
import type { Collection } from '../commands/collection.js';
import type { ClipSource } from './session-controller.js';

/** Windows of the collection that already have a decision in the store. */
export function decidedWindows(collection: Collection): Set<number> {
  const fileIndex = new Map(collection.files.map((f, i) => [f.path, i]));
  const done = new Set<number>();
  for (const r of collection.store.records) {
    const f = fileIndex.get(r.file);
    if (f === undefined) continue;
    const w = collection.grid.windowAt(f, r.start + 1e-6);
    if (w >= 0) done.add(w);
  }
  return done;
}

export function clipOfWindow(collection: Collection, window: number, fields: Omit<Clip, 'window' | 'file' | 'start' | 'duration'>): Clip {
  const { grid, files } = collection;
  return { window, file: files[grid.fileOf(window)].path, start: grid.startOf(window), duration: grid.durationOf(window), ...fields };
}

/** Uniform draws over time (every window equally likely), never a window decided or already handed out. */
export function randomClipSource(collection: Collection, rand: () => number): ClipSource {
  const taken = decidedWindows(collection);
  const draw = (exclude: Set<number>): number => {
    const free = collection.grid.count - taken.size;
    if (free <= 0) return -1;
    for (let tries = 0; tries < 10_000; tries++) {
      const w = Math.floor(rand() * collection.grid.count);
      if (!taken.has(w) && !exclude.has(w)) return w;
    }
    for (let w = 0; w < collection.grid.count; w++) if (!taken.has(w) && !exclude.has(w)) return w;
    return -1;
  };
  return {
    async next(count, exclude) {
      const skip = new Set(exclude);
      const clips: Clip[] = [];
      for (let i = 0; i < count; i++) {
        const free = collection.grid.count - taken.size;
        const w = draw(skip);
        if (w < 0) break;
        taken.add(w);
        clips.push(clipOfWindow(collection, w, { how: 'random', reason: 'random', strategy: 'random', drawProbability: 1 / free }));
      }
      return clips;
    },
    async similar() {
      return [];
    },
    decided(clip) {
      taken.add(clip.window);
    },
    undone(clip) {
      taken.delete(clip.window);
    },
    setTarget() {},
  };
}
