import { connect, type Socket } from 'node:net';
import { formatAddress, type TcpAddress } from './tcp-address.js';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;
/** A connection that lasted this long was a real one: the next outage starts again from the shortest wait. */
const STABLE_MS = 2000;

export interface ConnectionEvents {
  onUp(): void;
  /** the connection failed or was lost; `message` says why and when the next try is */
  onDown(message: string): void;
  onData(chunk: Buffer): void;
}

/** A TCP connection that comes back after it drops, waiting longer after each failure. Writes never block. */
export class ReconnectingSocket {
  private socket: Socket | undefined;
  private up = false;
  /** why the current connection ended, when this side knows better than the socket error */
  private dropReason: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private closed = false;

  constructor(
    private readonly address: TcpAddress,
    private readonly events: ConnectionEvents,
  ) {}

  /** Connects now unless connected or connecting; a wait before the next try is cut short. */
  connect(): void {
    if (this.closed || this.socket) return;
    clearTimeout(this.retryTimer);
    const socket = connect({ host: this.address.host, port: this.address.port, noDelay: true });
    this.socket = socket;
    this.dropReason = undefined;
    let connectedAt: number | undefined;
    let error: string | undefined;
    socket.on('connect', () => {
      connectedAt = Date.now();
      this.up = true;
      this.events.onUp();
    });
    socket.on('data', (chunk: Buffer) => this.events.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    socket.on('close', () => {
      this.socket = undefined;
      this.up = false;
      if (this.closed) return;
      if (connectedAt !== undefined && Date.now() - connectedAt >= STABLE_MS) this.retryMs = FIRST_RETRY_MS;
      const wait = this.retryMs;
      this.retryMs = Math.min(2 * wait, LAST_RETRY_MS);
      const where = formatAddress(this.address);
      const why = this.dropReason ?? error ?? 'closed by the listener';
      const when = `${(wait / 1000).toFixed(1)} s`;
      this.events.onDown(
        connectedAt === undefined ? `cannot reach ${where} (${why}); retrying in ${when}` : `lost ${where} (${why}); reconnecting in ${when}`,
      );
      this.retryTimer = setTimeout(() => this.connect(), wait);
    });
  }

  /** Sends `data` if connected; false when it could not be sent. */
  write(data: Uint8Array): boolean {
    if (!this.up || !this.socket) return false;
    this.socket.write(data);
    return true;
  }

  /** Hangs up because of `reason`, which the next onDown reports; reconnects as after any drop. */
  drop(reason: string): void {
    this.dropReason = reason;
    this.socket?.destroy();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    if (!socket) return;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.destroy();
    await closed;
  }
}
