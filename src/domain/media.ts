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
}

/** A file the scan could not use, and why. */
export interface ScanProblem {
  path: string;
  reason: string;
}

export interface ProbeInfo {
  duration: number;
  sampleRate: number;
  channels: number;
  codec: string;
}

export interface ProbeCache {
  get(key: string): ProbeInfo | undefined;
  set(key: string, info: ProbeInfo): void;
}
