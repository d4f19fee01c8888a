import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { ScanProblem } from '../domain/media.js';
import type { ColorMode } from '../format/color-mode.js';

export interface CommandIO {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  color: ColorMode;
}

/** What cli.ts hands each command: its streams, Ctrl-C as a signal, and where its exit code goes. */
export interface CommandContext {
  io: CommandIO;
  /**
   * For a long command: Ctrl-C (or SIGTERM) aborts the signal instead of killing the process, and the command ends
   * with exit code 130 (143) and `hark: interrupted; <kept>`. Say in `kept` what the next run finds, where true.
   */
  interruptible(kept?: string): AbortSignal;
  /** the exit code of the command's run */
  finish(code: number): void;
}

/** A command file exports one of these: its commander definition, options declared and typed beside the action. */
export type CommandDefinition = (context: CommandContext) => CommandUnknownOpts;

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
