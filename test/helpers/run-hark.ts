import { reportError, runCli } from '../../src/cli.js';
import type { CommandIO } from '../../src/commands/command-io.js';

/** A command's exit code as `hark` ends with it: a user error it throws is printed on io.err as the program prints it. */
export async function exitCode(run: Promise<number>, io: { err: NodeJS.WritableStream }): Promise<number> {
  try {
    return await run;
  } catch (err) {
    return reportError(err, io.err);
  }
}

/** `hark <args>` in this process, for the batch commands (which need only out and err). */
export function runHark(args: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const full: CommandIO = { ...io, stdout: process.stdout, stdin: process.stdin, color: false };
  return runCli(args, full);
}
