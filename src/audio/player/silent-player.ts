import { StatusFeed } from './status-feed.js';
import type { Player, StatusListener } from './types.js';

/** Plays nothing: the clip is only seen on screen. */
export class SilentPlayer implements Player {
  readonly mode = 'none';
  private readonly status = new StatusFeed({ mode: this.mode, ok: true, message: 'no audio output: visual only' });

  play(): void {}
  stop(): void {}

  onStatus(listener: StatusListener): () => void {
    return this.status.subscribe(listener);
  }

  async close(): Promise<void> {}
}
