import { StatusFeed } from '../player/status-feed.js';
import type { Player, StatusListener } from '../player/types.js';
import { FrameReader } from './frame-reader.js';
import { ProtocolError, decodePlayerMessage, encodeHello, encodePlay, encodeStop } from './protocol.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { formatAddress, type TcpAddress } from './tcp-address.js';

/** Sends clips to a `hark listen` (see protocol.ts), so that they play on the machine the listener runs on. */
export class TcpPlayer implements Player {
  readonly mode: string;
  private readonly status: StatusFeed;
  private readonly connection: ReconnectingSocket;
  private reader = new FrameReader();
  /** the last frame asked for while disconnected: sent if the next attempt connects, forgotten if it fails */
  private pending: Buffer | undefined;

  constructor(address: TcpAddress, token: string) {
    this.mode = `tcp://${formatAddress(address)}`;
    this.status = new StatusFeed({ mode: this.mode, ok: false, message: `connecting to ${formatAddress(address)}` });
    this.connection = new ReconnectingSocket(address, {
      onUp: () => {
        this.reader = new FrameReader();
        this.connection.write(encodeHello(token));
        if (this.pending) this.connection.write(this.pending);
        this.pending = undefined;
        this.status.set({ mode: this.mode, ok: true, message: `sending to ${formatAddress(address)}` });
      },
      onDown: (message) => {
        this.pending = undefined;
        this.status.set({ mode: this.mode, ok: false, message });
      },
      onData: (chunk) => this.read(chunk),
    });
    this.connection.connect();
  }

  play(pcm: Int16Array, sampleRate: number): void {
    let frame: Buffer;
    try {
      frame = encodePlay(pcm, sampleRate);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.status.set({ mode: this.mode, ok: false, message: `clip too long to send: ${err.message}` });
      return;
    }
    this.send(frame);
  }

  stop(): void {
    this.send(encodeStop());
  }

  onStatus(listener: StatusListener): () => void {
    return this.status.subscribe(listener);
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private send(frame: Buffer): void {
    if (this.connection.write(frame)) return;
    this.pending = frame;
    this.connection.connect();
  }

  private read(chunk: Buffer): void {
    try {
      for (const frame of this.reader.push(chunk)) {
        const message = decodePlayerMessage(frame);
        if (message.type === 'refused') return this.connection.drop(`refused: ${message.reason}`);
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.connection.drop(`not a hark listener: ${err.message}`);
    }
  }
}
