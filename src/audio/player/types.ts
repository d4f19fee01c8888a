/** How sound leaves the machine: a local output, a remote listener, or nowhere. */
export type PlayerMode = 'auto' | 'speaker' | 'aplay' | 'paplay' | 'ffplay' | 'none' | string;

/** What the UI shows about the audio output. */
export interface PlayerStatus {
  mode: string;
  ok: boolean;
  message?: string;
}

export type StatusListener = (status: PlayerStatus) => void;

export interface Player {
  /** the mode actually in use after auto-detection */
  readonly mode: string;
  /** Plays mono signed 16-bit samples, cutting off whatever is playing. Never throws: trouble goes to onStatus. */
  play(pcm: Int16Array, sampleRate: number): void;
  stop(): void;
  /** The listener hears the current status at once, then every change. Returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void;
  close(): Promise<void>;
}
