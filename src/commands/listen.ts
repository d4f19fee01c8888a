/**
 * `hark listen`: plays on this machine the clips that a hark running elsewhere sends, so that labeling over SSH
 * still has sound. On the laptop: `hark listen`, then `ssh -R 7777:127.0.0.1:7777 server`, and there run hark
 * with the player tcp://127.0.0.1:7777. Set HARK_TOKEN on both ends when others can reach the port.
 */
import type { WriteStream } from 'node:tty';
import { createPlayer, type PlayerMode, type PlayerStatus } from '../audio/player/index.js';
import { startListenServer, type ListenEvent } from '../audio/remote/listen-server.js';
import { formatAddress, type TcpAddress } from '../audio/remote/tcp-address.js';

export interface ListenOptions {
  port?: number;
  host?: string;
  /** required from players when set; defaults to HARK_TOKEN */
  token?: string;
  player?: PlayerMode;
  out: NodeJS.WritableStream;
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
  const parts = [`listening on ${formatAddress(state.address)}`, `output ${output}`, from, `${state.played} clips played`];
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

/** One line of status: rewritten in place on a terminal, a new line per change otherwise. */
function statusLine(out: NodeJS.WritableStream): { write(text: string): void; end(): void } {
  const tty = (out as WriteStream).isTTY === true;
  let last = '';
  return {
    write(text) {
      if (text === last) return;
      last = text;
      out.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
    },
    end() {
      if (tty) out.write('\n');
    },
  };
}
