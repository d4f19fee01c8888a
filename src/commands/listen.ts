/**
 * `hark listen`: plays on this machine the clips that a hark running elsewhere sends, so that labeling over SSH
 * still has sound. On the laptop: `hark listen`, then `ssh -R 7777:127.0.0.1:7777 server`, and there run hark
 * with the player tcp://127.0.0.1:7777. Set HARK_TOKEN on both ends when others can reach the port.
 */
import type { WriteStream } from 'node:tty';
import { Command, Option } from '@commander-js/extra-typings';
import { PLAYER_MODES } from '../audio/player/index.js';
import { UserError } from '../domain/user-error.js';
import type { CommandDefinition } from './command-io.js';
import { port } from './option-values.js';
import { createPlayer, type PlayerMode, type PlayerStatus } from '../audio/player/index.js';
import { startListenServer, type ListenEvent } from '../audio/remote/listen-server.js';
import { formatAddress, type TcpAddress } from '../audio/remote/tcp-address.js';

export const listenCommand: CommandDefinition = (context) =>
  new Command('listen')
    .description('play, on this machine, the clips a hark on another machine sends (labeling over SSH)')
    .option('--port <n>', 'port to listen on', port, 7777)
    .option('--host <address>', 'address to bind (keep 127.0.0.1 and forward the port with ssh -R)', '127.0.0.1')
    .option('--token <secret>', 'refuse players that do not present this token (default: $HARK_TOKEN)')
    .addOption(new Option('--player <mode>', 'audio output').choices(PLAYER_MODES).default('auto' as const))
    .action(async (opts) => {
      const stopped = context.interruptible();
      const handle = await runListen({ ...opts, out: context.io.out, err: context.io.err }).catch((err: NodeJS.ErrnoException) => {
        throw new UserError(`cannot listen: ${err.code === 'EADDRINUSE' ? `port ${opts.port} is already in use (another hark listen?)` : err.message}`);
      });
      if (!stopped.aborted) await new Promise((resolve) => stopped.addEventListener('abort', resolve, { once: true }));
      await handle.close(); // Ctrl-C is how a listener is stopped: a normal end
      context.finish(0);
    });

export interface ListenOptions {
  port?: number;
  host?: string;
  /** required from players when set; defaults to HARK_TOKEN */
  token?: string;
  player?: PlayerMode;
  out: NodeJS.WritableStream;
  /** where a warning goes (default: out) */
  err?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

export interface ListenHandle {
  address: TcpAddress;
  close(): Promise<void>;
}

export interface ListenState {
  address: TcpAddress;
  output: PlayerStatus;
  peers: string[];
  played: number;
  lastError?: string;
}

export function formatListenStatus(state: ListenState): string {
  const output = `${state.output.mode}${state.output.message ? ` (${state.output.message})` : ''}`;
  const from = state.peers.length ? `connected from ${state.peers.join(', ')}` : 'waiting for a connection';
  const parts = [`listening on ${formatAddress(state.address)}`, `output ${output}`, from, `${state.played} ${state.played === 1 ? 'clip' : 'clips'} played`];
  if (state.lastError) parts.push(`last error: ${state.lastError}`);
  return parts.join(' | ');
}

export function applyListenEvent(state: ListenState, event: ListenEvent): ListenState {
  switch (event.type) {
    case 'connected':
      return { ...state, peers: [...state.peers, event.peer] };
    case 'disconnected':
      return { ...state, peers: state.peers.filter((peer) => peer !== event.peer) };
    case 'played':
      return { ...state, played: state.played + 1 };
    case 'refused':
      return { ...state, lastError: `${event.reason} (${event.peer})` };
  }
}

export async function runListen(opts: ListenOptions): Promise<ListenHandle> {
  const env = opts.env ?? process.env;
  const player = await createPlayer(opts.player ?? 'auto', { env });
  const line = statusLine(opts.out);
  let state: ListenState | undefined;
  const update = (change: (s: ListenState) => ListenState) => {
    if (!state) return;
    state = change(state);
    line.write(formatListenStatus(state));
  };

  const server = await startListenServer({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 7777,
    token: opts.token ?? env.HARK_TOKEN,
    player,
    onEvent: (event) => update((s) => applyListenEvent(s, event)),
  }).catch(async (err: unknown) => {
    await player.close();
    throw err;
  });
  const { address } = server;
  const token = opts.token ?? env.HARK_TOKEN;
  if (!token && !isLoopback(address.host)) {
    (opts.err ?? opts.out).write(
      `Warning: anyone who can reach ${formatAddress(address)} can play sound here: set HARK_TOKEN (or --token) on both ends, or keep --host 127.0.0.1 and forward the port with ssh -R.\n`,
    );
  }
  state = { address, output: { mode: player.mode, ok: true }, peers: [], played: 0 };
  const unsubscribe = player.onStatus((output) =>
    update((s) => ({ ...s, output, lastError: output.ok ? s.lastError : output.message })),
  );
  line.write(formatListenStatus(state));

  return {
    address,
    async close() {
      unsubscribe();
      await server.close();
      await player.close();
      line.end();
    },
  };
}

/** Whether only this machine can reach an address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || /^::ffff:127\./.test(host);
}

/**
 * One line of status: rewritten in place on a terminal, a new line per change otherwise. On a terminal it is cut to
 * the width: a line that wraps can no longer be rewritten in place, and each change would add a line.
 */
function statusLine(out: NodeJS.WritableStream): { write(text: string): void; end(): void } {
  const tty = (out as WriteStream).isTTY === true;
  let last = '';
  return {
    write(text) {
      if (text === last) return;
      last = text;
      const width = (out as WriteStream).columns;
      const shown = tty && width && text.length >= width ? `${text.slice(0, width - 2)}…` : text;
      out.write(tty ? `\r\x1b[2K${shown}` : `${text}\n`);
    },
    end() {
      if (tty) out.write('\n');
    },
  };
}
