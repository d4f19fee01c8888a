import type { Clip } from '../app/session.js';
import { priorDecisions, recordWindows, type Collection } from '../collection/open-collection.js';
import { formatClock } from '../format/time-format.js';
import { UserError } from '../domain/user-error.js';
import { explainQueryError, QueryError } from './query-parser.js';
import { searchCollection } from './search-collection.js';
import type { SearchHit } from './search-index.js';

/** `hark label --from-search`: the query's hits as the first clips of the queue, and a line that says so. */
export async function searchQueue(collection: Collection, query: string): Promise<{ clips: Clip[]; message: string }> {
  let hits: SearchHit[];
  try {
    hits = (await searchCollection(collection, query, { limit: Number.MAX_SAFE_INTEGER })).hits;
  } catch (err) {
    if (err instanceof QueryError) throw new UserError(explainQueryError(query, err));
    throw err;
  }
  const { clips, decided } = searchClips(collection, hits);
  const already = decided ? ` (${decided} already labeled)` : '';
  if (clips.length === 0) throw new UserError(`The search "${query}" found ${hits.length} hit(s) but no clip left to label${already}.`);
  return { clips, message: `next: ${clips.length} clips the search "${query}" found${already}; your label confirms or rejects each` };
}

/**
 * The hits of a search as clips to label: one clip per hit, at the model's peak for a range (a label: its own
 * clip), skipping clips already decided and clips two hits share; saved with `how: 'search'`.
 */
export function searchClips(collection: Pick<Collection, 'files' | 'grid' | 'store'>, hits: readonly SearchHit[]): { clips: Clip[]; decided: number } {
  const windowOf = recordWindows(collection);
  const decided = new Set(priorDecisions(collection).map((d) => d.window));
  const taken = new Set<number>();
  const clips: Clip[] = [];
  let skipped = 0;
  for (const hit of hits) {
    const window = windowOf({ file: hit.recording, start: hit.by === 'model' ? hit.peak : hit.start });
    if (window < 0 || taken.has(window)) continue;
    taken.add(window);
    if (decided.has(window)) {
      skipped++;
      continue;
    }
    const { grid } = collection;
    const found = hit.by === 'model' ? `p=${(hit.score ?? 0).toFixed(2)}` : `by ${hit.annotator}`;
    clips.push({ window, file: hit.recording, start: grid.startOf(window), duration: grid.durationOf(window), how: 'search', reason: `${hit.label} ${formatClock(hit.start)}-${formatClock(hit.end)} ${found}`, ...(hit.score !== undefined ? { score: hit.score } : {}) });
  }
  return { clips: clips.map((c, i) => ({ ...c, reason: `search hit ${i + 1}/${clips.length}: ${c.reason}` })), decided: skipped };
}
