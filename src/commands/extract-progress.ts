import type { ExtractProgress } from '../audio/features/extract-pool.js';

/**
 * Feature-extraction progress on stderr: one line rewritten in place on a terminal, otherwise a plain line at every
 * tenth of the audio, so a log file stays short.
 */
export function extractProgress(
  err: NodeJS.WritableStream & { isTTY?: boolean },
  now: () => number = Date.now,
): (progress: ExtractProgress) => void {
  const started = now();
  let lastTenth = -1;
  return (p) => {
    const elapsed = (now() - started) / 1000;
    const speed = elapsed >= 1 ? p.secondsDone / elapsed : 0;
    const line = [
      `features: ${p.filesDone}/${p.filesTotal} recordings`,
      `${hours(p.secondsDone)} of ${hours(p.secondsTotal)} h`,
      ...(speed > 0 ? [`${Math.round(speed)}x real time`] : []),
      ...(p.failed ? [`${p.failed} failed`] : []),
    ].join(', ');
    const finished = p.filesDone === p.filesTotal;
    if (err.isTTY) {
      err.write(`\r${line}\x1b[K${finished ? '\n' : ''}`);
      return;
    }
    const tenth = p.secondsTotal > 0 ? Math.floor((10 * p.secondsDone) / p.secondsTotal) : 10;
    if (tenth > lastTenth || finished) {
      lastTenth = tenth;
      err.write(`${line}\n`);
    }
  };
}

const hours = (seconds: number) => (seconds / 3600).toFixed(2);
