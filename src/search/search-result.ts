import { groupBy } from '../domain/group-by.js';
import type { SearchHit, SearchResult } from './search-index.js';

export type { SearchHit, SearchResult } from './search-index.js';

export interface RecordingTotal {
  recording: string;
  duration: number;
  hits: number;
  /** seconds covered by its hits, overlaps counted once (the same music found by two runs is not twice the music) */
  seconds: number;
  labels: string[];
}

/** Per matching recording: its hits, the time they cover, and their labels. */
export function recordingTotals(result: Pick<SearchResult, 'recordings' | 'hits'>): RecordingTotal[] {
  const byRecording = hitsByRecording(result.hits);
  return result.recordings.map((r) => {
    const mine = [...(byRecording.get(r.path) ?? [])].sort((a, b) => a.start - b.start);
    let seconds = 0;
    let reach = -Infinity;
    for (const h of mine) {
      if (h.end > reach) seconds += h.end - Math.max(h.start, reach);
      reach = Math.max(reach, h.end);
    }
    return { recording: r.path, duration: r.duration, hits: mine.length, seconds, labels: [...new Set(mine.map((h) => h.label))].sort() };
  });
}

export function hitsByRecording(hits: readonly SearchHit[]): Map<string, SearchHit[]> {
  return groupBy(hits, (h) => h.recording);
}
