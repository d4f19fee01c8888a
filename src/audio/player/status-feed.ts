import type { PlayerStatus, StatusListener } from './types.js';

/** Holds a player's latest status and tells listeners when it changes. */
export class StatusFeed {
  private latest: PlayerStatus;
  private readonly listeners = new Set<StatusListener>();

  constructor(initial: PlayerStatus) {
    this.latest = initial;
  }

  get current(): PlayerStatus {
    return this.latest;
  }

  set(status: PlayerStatus): void {
    const { ok, message } = this.latest;
    if (status.ok === ok && status.message === message && status.mode === this.latest.mode) return;
    this.latest = status;
    for (const listener of this.listeners) listener(status);
  }

  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    listener(this.latest);
    return () => this.listeners.delete(listener);
  }
}
