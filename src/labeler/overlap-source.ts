import type { Clip } from '../app/session.js';
import type { ClipSource } from './session-controller.js';

export const DEFAULT_OVERLAP = 0.05;

export interface OverlapOptions {
  /** share of the random draws given to a clip another annotator labeled */
  share: number;
  rand: () => number;
  /** clips other annotators labeled and this one has not, as the queue would show them */
  candidates: () => Clip[];
}

/**
 * A queue in which a share of the random draws are clips someone else already labeled, shown blind (nothing on
 * screen says what they chose), so that agreement between annotators can be measured on a random sample.
 */
export function withOverlap(source: ClipSource, opts: OverlapOptions): ClipSource {
  return {
    ...source,
    async next(count, exclude) {
      const clips = await source.next(count, exclude);
      const taken = new Set([...exclude, ...clips.map((c) => c.window)]);
      return clips.map((clip) => {
        if (clip.how !== 'random' || opts.rand() >= opts.share) return clip;
        const pool = opts.candidates().filter((c) => !taken.has(c.window));
        if (pool.length === 0) return clip;
        const chosen = pool[Math.floor(opts.rand() * pool.length)];
        taken.add(chosen.window);
        return { ...chosen, how: 'overlap', reason: 'agreement check', drawProbability: undefined, weighted: undefined };
      });
    },
  };
}
