/**
 * A problem the user can fix (a mistake on the command line, a missing input, a busy store): thrown anywhere, caught
 * once in cli.ts, which prints `hark: <message>` and, when there is one, the hint on the next line, and exits with
 * exitCode. Anything else that escapes a command is a bug and keeps its stack.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A long command stopped by Ctrl-C or SIGTERM; the message says what is kept. Exit code 128 + the signal's number. */
export class Interrupted extends UserError {
  constructor(message: string, signal: 'SIGINT' | 'SIGTERM') {
    super(message, undefined, signal === 'SIGINT' ? 130 : 143);
  }
}
