export interface Playing {
  /** Cuts the clip off; resolves once the device is free for the next one. */
  stop(): Promise<void>;
}

/**
 * Passes an output device from one clip to the next. A clip starts only after the previous one has let go of
 * the device (some devices refuse a second opener, and a late flush would land inside the new clip), and a clip
 * overtaken by a newer request while it waits never starts.
 */
export class DeviceHandoff {
  private current: Playing | undefined;
  private released: Promise<void> = Promise.resolve();
  private newest: symbol | undefined;

  /** Stops what is playing, then runs `start` unless a newer request came in meanwhile. Without `start`, only stops. */
  async replace(start?: () => Playing): Promise<void> {
    const ticket = Symbol('request');
    this.newest = ticket;
    if (this.current) this.released = this.current.stop();
    this.current = undefined;
    await this.released;
    if (start && this.newest === ticket) this.current = start();
  }
}
