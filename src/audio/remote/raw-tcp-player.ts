import { StatusFeed } from '../player/status-feed.js';
import type { Player, StatusListener } from '../player/types.js';
import { toS16le } from './protocol.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { resampleLinear } from './resample.js';
import { formatAddress, type TcpAddress } from './tcp-address.js';

/** The one format a bare `nc -l 7777 | aplay -f S16_LE -r 16000 -c 1` understands. */
export const RAW_SAMPLE_RATE = 16000;
/** How far ahead of real time samples are sent: a raw stream has no stop, so a new clip or a stop can only
 * stop sending, and what was sent ahead still plays. */
const LEAD_MS = 150;
const TICK_MS = 20;

/** Streams clips as bare s16le mono PCM at 16 kHz, paced to real time. */
export class RawTcpPlayer implements Player {
  readonly mode: string;
  private readonly status: StatusFeed;
  private readonly connection: ReconnectingSocket;
  private clip: { samples: Int16Array; sent: number; startedAt: number | undefined } | undefined;
  private clock: NodeJS.Timeout | undefined;

  constructor(address: TcpAddress) {
    this.mode = `tcp-raw://${formatAddress(address)}`;
    this.status = new StatusFeed({ mode: this.mode, ok: false, message: `connecting to ${formatAddress(address)}` });
    this.connection = new ReconnectingSocket(address, {
      onUp: () => {
        this.status.set({ mode: this.mode, ok: true, message: `streaming to ${formatAddress(address)}` });
        this.sendDue();
      },
      onDown: (message) => this.status.set({ mode: this.mode, ok: false, message }),
      onData: () => {},
    });
    this.connection.connect();
  }

  play(pcm: Int16Array, sampleRate: number): void {
    this.stop();
    if (pcm.length === 0) return;
    this.clip = { samples: resampleLinear(pcm, sampleRate, RAW_SAMPLE_RATE), sent: 0, startedAt: undefined };
    this.connection.connect();
    this.sendDue();
    this.clock = setInterval(() => this.sendDue(), TICK_MS);
  }

  stop(): void {
    clearInterval(this.clock);
    this.clip = undefined;
  }

  onStatus(listener: StatusListener): () => void {
    return this.status.subscribe(listener);
  }

  close(): Promise<void> {
    this.stop();
    return this.connection.close();
  }

  /** Sends the samples due by now plus the lead. The clip's clock starts with its first sent samples; samples
   * that fall due while the connection is down are skipped. */
  private sendDue(): void {
    const clip = this.clip;
    if (!clip) return;
    const elapsedMs = clip.startedAt === undefined ? 0 : Date.now() - clip.startedAt;
    const due = Math.min(clip.samples.length, Math.round(((elapsedMs + LEAD_MS) * RAW_SAMPLE_RATE) / 1000));
    if (due <= clip.sent) return;
    const sent = this.connection.write(toS16le(clip.samples.subarray(clip.sent, due)));
    if (!sent && clip.startedAt === undefined) return;
    clip.startedAt ??= Date.now();
    clip.sent = due;
    if (clip.sent === clip.samples.length) this.stop();
  }
}
