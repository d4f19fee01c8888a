/** A playable recording found by the scan. */
export interface MediaFile {
  /** path relative to the media root, with forward slashes */
  path: string;
  /** absolute path */
  abs: string;
  size: number;
  mtimeMs: number;
  /** seconds */
  duration: number;
  sampleRate: number;
  channels: number;
  /** the audio codec ffprobe names (mp3, pcm_s16le, …) */
  codec?: string;
  /** the container's tags, keys in lower case (title, artist, album, date, comment, …) */
  tags?: Record<string, string>;
}

/** A file the scan could not use, and why; or (with `usedSeconds`) a damaged one of which only a part is used. */
export interface ScanProblem {
  path: string;
  reason: string;
  /** the file is used, but only its first seconds: what decodes */
  usedSeconds?: number;
}

export interface ProbeInfo {
  /** seconds that decode, checked at the end of the file (not only what its header claims) */
  duration: number;
  sampleRate: number;
  channels: number;
  codec: string;
  /** why the duration is less than the header claims */
  damage?: string;
  /** keys in lower case; missing in probes cached before hark read tags */
  tags?: Record<string, string>;
}

export interface ProbeCache {
  get(key: string): ProbeInfo | undefined;
  set(key: string, info: ProbeInfo): void;
}
