/** Messages between the player facade and the child process that owns the speaker (IPC, 'advanced' serialization). */

export type ToSpeakerChild =
  | { type: 'play'; id: number; pcm: Int16Array; sampleRate: number }
  | { type: 'stop' };

export type FromSpeakerChild =
  /** the speaker module loaded, so an output device exists */
  | { type: 'ready' }
  /** the first samples of clip `id` were accepted by the device */
  | { type: 'started'; id: number }
  | { type: 'failed'; id: number; message: string };
