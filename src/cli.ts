import { createRequire } from 'node:module';
import { Command, CommanderError } from '@commander-js/extra-typings';
import type { CommandContext, CommandDefinition, CommandIO } from './commands/command-io.js';
import { colorMode } from './format/color-mode.js';
import { Interrupted, UserError } from './domain/user-error.js';
import { labelCommand } from './commands/label.js';
import { demoCommand } from './commands/demo.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { statsCommand } from './commands/stats.js';
import { applyCommand } from './commands/apply.js';
import { evaluateCommand } from './commands/evaluate.js';
import { simulateCommand } from './commands/simulate.js';
import { listenCommand } from './commands/listen.js';
import { searchCommand } from './commands/search.js';
import { extractCommand } from './commands/extract.js';

/** hark's commands, in the order `hark --help` lists them. */
const COMMANDS: CommandDefinition[] = [
  labelCommand,
  demoCommand,
  exportCommand,
  importCommand,
  statsCommand,
  extractCommand,
  applyCommand,
  evaluateCommand,
  simulateCommand,
  searchCommand,
  listenCommand,
];

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Runs `hark <args>` and returns its exit code. User errors end as one line (and a hint); bugs throw. */
export async function runCli(args: string[], io: CommandIO): Promise<number> {
  let exitCode = 0;
  const signals = interruptHandlers();
  const context: CommandContext = { io, interruptible: signals.listen, finish: (code) => (exitCode = code) };
  const program = new Command()
    .name('hark')
    .version(version)
    .description('Label audio in archives from the keyboard; a model learns as you label and finds the rest.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showHelpAfterError('(hark --help lists the commands)');
  for (const define of COMMANDS) {
    const command = define(context).copyInheritedSettings(program);
    program.addCommand(command.showHelpAfterError(`(hark ${command.name()} --help lists its options)`));
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, io.err);
  } finally {
    signals.stop();
  }
}

/** The one catch: a user error becomes `hark: message`, its hint, and its exit code; anything else is a bug. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream): number {
  if (err instanceof CommanderError) return err.exitCode; // commander has printed the error and the hint
  if (!(err instanceof UserError)) throw err;
  stderr.write(`hark: ${err.message}\n`);
  if (err.hint) stderr.write(`${err.hint}\n`);
  return err.exitCode;
}

/** Ctrl-C and SIGTERM as an AbortSignal, for the commands that ask for one; the others stop at once as usual. */
function interruptHandlers() {
  const controller = new AbortController();
  let kept: string | undefined;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143); // asked twice: stop now
      controller.abort(new Interrupted(kept ? `interrupted; ${kept}` : 'interrupted', signal));
    };
    return [signal, handler] as const;
  });
  return {
    listen(what?: string): AbortSignal {
      kept = what;
      for (const [signal, handler] of handlers) if (!process.listeners(signal).includes(handler)) process.on(signal, handler);
      return controller.signal;
    },
    stop() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}

/** The program as bin/hark.js runs it. */
export async function main(): Promise<void> {
  // `hark export … | head` closes the pipe early: that is the reader's choice, not an error
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
  const io: CommandIO = {
    out: process.stdout,
    err: process.stderr,
    stdout: process.stdout,
    stdin: process.stdin,
    color: colorMode(process.env, process.stdout),
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
