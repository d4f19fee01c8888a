import type { Clip } from '../app/session.js';
import { priorDecisions, recordWindows, type Collection } from '../collection/open-collection.js';
import { formatClock } from '../format/time-format.js';
import { UserError } from '../domain/user-error.js';
import { explainQueryError, QueryError } from './query-parser.js';
import { searchCollection } from './search-collection.js';
import type { SearchHit, SearchRecording } from './search-index.js';

/** Clips heard from a recording the query matches without a span to point at (`date = 2017 and not Host`). */
export const CLIPS_PER_PLAIN_MATCH = 3;

/** `hark label --from-search`: the query's hits as the first clips of the queue, and a line that says so. */
export async function searchQueue(collection: Collection, query: string): Promise<{ clips: Clip[]; message: string }> {
  let found: { recordings: SearchRecording[]; hits: SearchHit[] };
  try {
    found = await searchCollection(collection, query, { limit: Number.MAX_SAFE_INTEGER });
  } catch (err) {
    if (err instanceof QueryError) throw new UserError(explainQueryError(query, err));
    throw err;
  }
  const { clips, decided } = searchClips(collection, found.hits, found.recordings);
  const already = decided ? ` (${decided} already labeled)` : '';
  if (found.recordings.length === 0) throw new UserError(`The search "${query}" matches no recording.`);
  if (clips.length === 0) throw new UserError(`The search "${query}" found ${found.hits.length} hit(s) in ${found.recordings.length} recording(s) but no clip left to label${already}.`);
  return { clips, message: `next: ${clips.length} clips the search "${query}" found${already}; your label confirms or rejects each` };
}

/**
 * The hits of a search as clips to label: one clip per hit, at the model's peak for a range (a label: its own
 * clip), skipping clips already decided and clips two hits share; saved with `how: 'search'`. A matching recording
 * with no hit (the query only rules things out, or names its metadata) gives a few clips spread across it, after
 * the hits.
 */
export function searchClips(
  collection: Pick<Collection, 'files' | 'grid' | 'store'>,
  hits: readonly SearchHit[],
  recordings: readonly Pick<SearchRecording, 'path' | 'duration'>[] = [],
): { clips: Clip[]; decided: number } {
  const { grid } = collection;
  const windowOf = recordWindows(collection);
  const decided = new Set(priorDecisions(collection).map((d) => d.window));
  const taken = new Set<number>();
  const clips: Clip[] = [];
  let skipped = 0;
  const offer = (file: string, at: number, reason: string, score?: number) => {
    const window = windowOf({ file, start: at });
    if (window < 0 || taken.has(window)) return;
    taken.add(window);
    if (decided.has(window)) skipped++;
    else clips.push({ window, file, start: grid.startOf(window), duration: grid.durationOf(window), how: 'search', reason, ...(score !== undefined ? { score } : {}) });
  };
  for (const hit of hits) {
    const found = hit.by === 'model' ? `p=${(hit.score ?? 0).toFixed(2)}` : `by ${hit.annotator}`;
    offer(hit.recording, hit.by === 'model' ? hit.peak : hit.start, `${hit.label} ${formatClock(hit.start)}-${formatClock(hit.end)} ${found}`, hit.score);
  }
  const withHits = new Set(hits.map((h) => h.recording));
  for (const recording of recordings) {
    if (withHits.has(recording.path)) continue;
    for (let k = 0; k < CLIPS_PER_PLAIN_MATCH; k++) {
      const at = (recording.duration * (2 * k + 1)) / (2 * CLIPS_PER_PLAIN_MATCH);
      offer(recording.path, at, `no hit: ${k + 1} of ${CLIPS_PER_PLAIN_MATCH} across it`);
    }
  }
  return { clips: clips.map((c, i) => ({ ...c, reason: `search ${i + 1}/${clips.length}: ${c.reason}` })), decided: skipped };
}
