import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { Player } from '../player/types.js';
import { FrameReader } from './frame-reader.js';
import { ProtocolError, decodeListenerMessage, encodeRefused, encodeWelcome, type ListenerMessage } from './protocol.js';
import { formatAddress, type TcpAddress } from './tcp-address.js';

/** A connection that has not said hello by then is dropped. */
const HELLO_TIMEOUT_MS = 5000;

export type ListenEvent =
  | { type: 'connected'; peer: string }
  | { type: 'disconnected'; peer: string }
  | { type: 'played'; peer: string }
  | { type: 'refused'; peer: string; reason: string };

export interface ListenServerOptions {
  host: string;
  port: number;
  /** when set, a connection must present it in its hello */
  token?: string;
  player: Player;
  onEvent(event: ListenEvent): void;
}

export interface ListenServer {
  address: TcpAddress;
  close(): Promise<void>;
}

/** Accepts hark players (see protocol.ts) and plays what they send; a misbehaving connection is dropped alone. */
export async function startListenServer(opts: ListenServerOptions): Promise<ListenServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, opts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('listener has no TCP address');
  return {
    address: { host: bound.address, port: bound.port },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function serveConnection(socket: Socket, { token, player, onEvent }: ListenServerOptions): void {
  const peer = formatAddress({ host: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 });
  const reader = new FrameReader();
  let stage: 'hello' | 'greeted' | 'refused' = 'hello';
  socket.setNoDelay(true);
  const helloTimer = setTimeout(() => refuse('no hello'), HELLO_TIMEOUT_MS);

  /** Tells the peer why and hangs up; returns false, for "stop reading". */
  function refuse(reason: string): false {
    stage = 'refused';
    clearTimeout(helloTimer);
    onEvent({ type: 'refused', peer, reason });
    socket.write(encodeRefused(reason));
    socket.destroySoon();
    return false;
  }

  /** Acts on one message; false when the connection was refused. */
  function handle(message: ListenerMessage): boolean {
    if (stage === 'hello') {
      if (message.type !== 'hello') return refuse('expected hello first');
      if (token && !sameSecret(message.token, token)) return refuse('wrong token');
      stage = 'greeted';
      clearTimeout(helloTimer);
      socket.write(encodeWelcome());
      onEvent({ type: 'connected', peer });
      return true;
    }
    if (message.type === 'play') {
      player.play(message.pcm, message.sampleRate);
      onEvent({ type: 'played', peer });
      return true;
    }
    if (message.type === 'stop') {
      player.stop();
      return true;
    }
    return refuse('hello twice');
  }

  socket.on('data', (chunk: Buffer) => {
    if (stage === 'refused') return;
    try {
      for (const frame of reader.push(chunk)) {
        if (!handle(decodeListenerMessage(frame))) return;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      refuse(err.message);
    }
  });
  socket.on('error', () => {}); // a reset is just the end of this connection
  socket.on('close', () => {
    clearTimeout(helloTimer);
    if (stage === 'greeted') onEvent({ type: 'disconnected', peer });
  });
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
