import { MediaError } from '../audio/ffmpeg.js';
import type { ScanProblem } from '../domain/media.js';
import { StrategyError } from '../ml/strategies.js';
import { StoreError } from '../store/store-error.js';
import type { ColorMode } from '../format/color-mode.js';
import { UserError } from '../domain/user-error.js';

export interface CommandIO {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  color: ColorMode;
}

/**
 * Progress on stderr: one line rewritten in place on a terminal, otherwise (a log file, or TERM=dumb, which cannot
 * erase a line) a plain line at every tenth of the work, so the output stays short.
 */
export function progressLine(err: NodeJS.WritableStream & { isTTY?: boolean }): (line: string, fraction: number, finished: boolean) => void {
  let lastTenth = -1;
  return (line, fraction, finished) => {
    if (err.isTTY && process.env.TERM !== 'dumb') {
      err.write(`\r${line}\x1b[K${finished ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(10 * fraction);
    if (tenth > lastTenth || finished) {
      lastTenth = tenth;
      err.write(`${line}\n`);
    }
  };
}

export function scanProgress(err: NodeJS.WritableStream & { isTTY?: boolean }): (done: number, total: number) => void {
  const show = progressLine(err);
  return (done, total) => show(`scanning: ${done}/${total} files`, total > 0 ? done / total : 1, done === total);
}

export function reportScanProblems(problems: ScanProblem[], err: NodeJS.WritableStream, max = 10): void {
  const list = (heading: string, some: ScanProblem[]) => {
    if (!some.length) return;
    err.write(`${heading}:\n`);
    for (const p of some.slice(0, max)) err.write(`  ${JSON.stringify(p.path).slice(1, -1)}: ${p.reason}\n`);
    if (some.length > max) err.write(`  … and ${some.length - max} more\n`);
  };
  const skipped = problems.filter((p) => p.usedSeconds === undefined);
  const damaged = problems.filter((p) => p.usedSeconds !== undefined);
  list(`Skipped ${skipped.length} file(s) hark cannot use`, skipped);
  list(`Using only the part that decodes of ${damaged.length} damaged file(s)`, damaged);
}

/**
 * Wraps a command so that the problems a user can fix (a bad store, an unreadable file) end as one line on
 * stderr and exit code 1, while real bugs still throw.
 */
export function userCommand<O, I extends Pick<CommandIO, 'err'>>(body: (opts: O, io: I) => Promise<number>) {
  return async (opts: O, io: I): Promise<number> => {
    try {
      return await body(opts, io);
    } catch (err) {
      if (!isUserFacing(err)) throw err;
      io.err.write(`hark: ${err.message}\n`);
      return 1;
    }
  };
}

/** Errors whose message tells the user what to fix; anything else is a bug and keeps its stack. */
export function isUserFacing(err: unknown): err is Error {
  return err instanceof UserError || err instanceof StoreError || err instanceof MediaError || err instanceof StrategyError;
}
