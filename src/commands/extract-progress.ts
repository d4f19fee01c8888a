import type { ExtractProgress } from '../audio/features/extract-pool.js';
import { progressLine } from './command-io.js';

/** What an interrupted command that extracts features leaves for the next run. */
export const FEATURES_KEPT = 'the features extracted so far are kept: run the same command again and it resumes where it stopped';

/** Feature-extraction progress on stderr (see progressLine): recordings, hours, speed, failures. */
export function extractProgress(
  err: NodeJS.WritableStream & { isTTY?: boolean },
  now: () => number = Date.now,
): (progress: ExtractProgress) => void {
  const started = now();
  const show = progressLine(err);
  return (p) => {
    const elapsed = (now() - started) / 1000;
    const speed = elapsed >= 1 ? p.secondsDone / elapsed : 0;
    const line = [
      `features: ${p.filesDone}/${p.filesTotal} recordings`,
      `${hours(p.secondsDone)} of ${hours(p.secondsTotal)} h`,
      ...(speed > 0 ? [`${Math.round(speed)}x real time`] : []),
      ...(p.failed ? [`${p.failed} failed`] : []),
    ].join(', ');
    show(line, p.secondsTotal > 0 ? p.secondsDone / p.secondsTotal : 1, p.filesDone === p.filesTotal);
  };
}

const hours = (seconds: number) => (seconds / 3600).toFixed(2);
