import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackLastLine } from './last-line.js';
import { StatusFeed } from './status-feed.js';
import type { FromSpeakerChild, ToSpeakerChild } from './speaker-protocol.js';
import type { Player, StatusListener } from './types.js';

/** Same extension as this module: .ts when run through tsx, .js once built. */
const CHILD_URL = new URL('./speaker-child' + extname(fileURLToPath(import.meta.url)), import.meta.url);
/** A child that has neither loaded the speaker nor died by then is taken as hung. */
const READY_TIMEOUT_MS = 3000;
/** A clip whose first samples have not reached the device by then means the child is hung. */
const START_TIMEOUT_MS = 2000;

/**
 * Plays through the speaker module in a child process that stays alive between clips (so a clip starts
 * within milliseconds) and is replaced on the next play after it crashes or hangs.
 */
export class SpeakerPlayer implements Player {
  readonly mode = 'speaker';
  private readonly status = new StatusFeed({ mode: this.mode, ok: true });
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  /** the request to deliver once the child is ready; a newer one replaces it */
  private latest: ToSpeakerChild | undefined;
  private nextId = 1;
  private startTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Starts the child if none runs; rejects when it dies or hangs before the speaker loads. */
  start(): Promise<void> {
    this.ready ??= this.spawn();
    return this.ready;
  }

  play(pcm: Int16Array, sampleRate: number): void {
    if (pcm.length === 0) return this.stop();
    this.request({ type: 'play', id: this.nextId++, pcm, sampleRate });
  }

  stop(): void {
    clearTimeout(this.startTimer);
    if (this.child) this.request({ type: 'stop' });
    else this.latest = undefined;
  }

  onStatus(listener: StatusListener): () => void {
    return this.status.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.startTimer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  private request(message: ToSpeakerChild): void {
    if (this.closed) return;
    this.latest = message;
    this.start().then(
      () => this.deliver(message),
      () => {}, // the failure is already in the status
    );
  }

  private deliver(message: ToSpeakerChild): void {
    if (message !== this.latest || !this.child?.connected) return;
    this.latest = undefined;
    this.child.send(message);
    if (message.type === 'play') {
      clearTimeout(this.startTimer);
      this.startTimer = setTimeout(() => this.abandon('player not responding; restarting'), START_TIMEOUT_MS);
    }
  }

  private spawn(): Promise<void> {
    const child = fork(CHILD_URL, [], {
      env: this.env,
      serialization: 'advanced',
      // ALSA complains on stderr; keep it off the terminal the UI draws on
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    const lastLine = trackLastLine(child.stderr);
    let loaded = false;
    return new Promise<void>((resolve, reject) => {
      const readyTimer = setTimeout(() => {
        reject(new Error('speaker did not start in time'));
        this.abandon('speaker did not start in time');
      }, READY_TIMEOUT_MS);
      child.on('message', (message: FromSpeakerChild) => {
        if (message.type === 'ready') {
          clearTimeout(readyTimer);
          loaded = true;
          resolve();
        } else this.onChildMessage(message);
      });
      child.on('error', () => {}); // a failed send shows up as the exit below
      child.on('exit', (code, signal) => {
        clearTimeout(readyTimer);
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        const detail = lastLine();
        const message = loaded
          ? `player crashed (${how}); restarting`
          : `speaker unavailable (${how})${detail ? `: ${detail}` : ''}`;
        reject(new Error(message));
        if (this.child !== child) return;
        this.forgetChild();
        if (!this.closed) this.status.set({ mode: this.mode, ok: false, message });
      });
    });
  }

  private onChildMessage(message: FromSpeakerChild): void {
    if (message.type === 'ready' || message.id !== this.nextId - 1) return;
    clearTimeout(this.startTimer);
    this.status.set(
      message.type === 'started'
        ? { mode: this.mode, ok: true }
        : { mode: this.mode, ok: false, message: `playback failed: ${message.message}` },
    );
  }

  /** Gives up on a hung child: it is killed now and a new one starts on the next play. */
  private abandon(message: string): void {
    const child = this.child;
    this.forgetChild();
    child?.kill('SIGKILL');
    if (!this.closed) this.status.set({ mode: this.mode, ok: false, message });
  }

  private forgetChild(): void {
    clearTimeout(this.startTimer);
    this.child = undefined;
    this.ready = undefined;
  }
}
