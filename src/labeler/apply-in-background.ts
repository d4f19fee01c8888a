import { spawn, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clip } from '../app/session.js';
import { formatClock } from '../format/time-format.js';
import { latestRun, readRunScoredRanges, type ApplySummary } from '../store/apply-output.js';
import { priorDecisions, recordWindows, type Collection } from '../collection/open-collection.js';
import { formatShare } from '../format/share-format.js';
import { renderTimeline } from '../format/timeline.js';
import { groupBy } from '../domain/group-by.js';
import type { PredictedRange } from '../store/range-exports.js';
import { runProcessInBackground } from '../threads/thread-priority.js';

/**
 * The command line that runs hark: the built CLI, or under tsx (tests, development) the source itself, so that a
 * background apply runs the same code as the labeler that starts it.
 */
function harkCommand(): string[] {
  if (extname(fileURLToPath(import.meta.url)) === '.ts') return ['--import', 'tsx', fileURLToPath(new URL('../hark.ts', import.meta.url))];
  return [fileURLToPath(new URL('../../bin/hark.js', import.meta.url))];
}

export interface BackgroundApply {
  /** applies the model for one label; resolves with a one-line summary and a timeline of where it found the most */
  run(target: string): Promise<string>;
  /** stops a run still going (apply resumes where it stopped next time) */
  stop(): void;
}

export interface TimelineView {
  /** each recording's length, by its path in the collection */
  durations: ReadonlyMap<string, number>;
  /** columns the timeline may take */
  width(): number;
}

/** Recordings shown in the timeline after `a`: the few where apply found the most of the target. */
const TIMELINE_RECORDINGS = 5;

/** Runs `hark apply` for one label in a child process, so the labeling screen never waits. */
export function applyInBackground(storeDir: string, view?: TimelineView): BackgroundApply {
  const running = new Set<ChildProcess>();
  let stopped = false;
  const run = (target: string) =>
    new Promise<string>((resolve, reject) => {
      if (stopped) return reject(new Error('apply not started: the labeler is closing'));
      const child = spawn(process.execPath, [...harkCommand(), 'apply', '--store', storeDir, '--label', target, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      // the labeling screen keeps the CPU it needs on a 2-core laptop
      if (child.pid) runProcessInBackground(child.pid);
      running.add(child);
      child.on('exit', () => running.delete(child));
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c));
      child.stderr.on('data', (c: Buffer) => (err = (err + c).slice(-2000)));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`apply failed: ${err.trim().split('\n').pop() ?? `exit ${code}`}`));
        const summary = JSON.parse(out) as ApplySummary;
        const found = summary.labels[target];
        const recall = found?.estimate.recall;
        const share = recall ? `, finds ~${formatShare(recall)}` : '';
        const line = `apply: ${target} in ${found?.ranges ?? 0} ranges, ${formatClock((found?.hours ?? 0) * 3600)} in ${found?.recordings ?? 0} recordings${share} → ${summary.out} (r to review)`;
        const timeline = view ? foundTimeline(readRunScoredRanges(summary.out), target, view.durations, view.width()) : [];
        resolve([line, ...timeline].join('\n'));
      });
    });
  const stop = () => {
    stopped = true;
    running.forEach((child) => child.kill());
  };
  return { run, stop };
}

/** Where apply found the target, drawn across time for the recordings where it found the most. */
function foundTimeline(ranges: readonly PredictedRange[], target: string, durations: ReadonlyMap<string, number>, width: number): string[] {
  const seconds = (spans: readonly PredictedRange[]) => spans.reduce((sum, r) => sum + r.end - r.start, 0);
  const rows = [...groupBy(ranges.filter((r) => r.label === target), (r) => r.file)]
    .sort(([, a], [, b]) => seconds(b) - seconds(a))
    .slice(0, TIMELINE_RECORDINGS)
    .map(([file, spans]) => ({ name: file, duration: durations.get(file) ?? Math.max(...spans.map((r) => r.end)), spans }));
  return rows.length ? renderTimeline(rows, { width, color: false }) : [];
}

/** The strongest clip of each range the newest apply for the target found, skipping clips already decided. */
export function reviewClipsOf(collection: Collection): (target: string) => Promise<Clip[]> {
  return async (target) => {
    const { grid, store } = collection;
    const run = latestRun(store.dir, [target]);
    if (!run) return [];
    const ranges = readRunScoredRanges(run).filter((r) => r.label === target);
    const windowOf = recordWindows(collection);
    const decided = new Set(priorDecisions(collection).map((d) => d.window));
    const clips: Clip[] = [];
    for (const r of ranges) {
      const window = windowOf({ file: r.file, start: r.peak });
      if (window < 0 || decided.has(window)) continue;
      clips.push({ window, file: r.file, start: grid.startOf(window), duration: grid.durationOf(window), how: 'review', reason: '', score: r.maxScore });
    }
    return clips.map((c, i) => ({ ...c, reason: `review ${target} range ${i + 1}/${clips.length} p=${c.score!.toFixed(2)}` }));
  };
}
