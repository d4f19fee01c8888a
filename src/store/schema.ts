import type { LabelDef, LabelRecord } from '../domain/labels.js';

export interface StoreConfig {
  mediaRoot?: string;
  labels: LabelDef[];
  /** user overrides: key -> command name (see src/app/keymap.ts) */
  keys?: Record<string, string>;
  annotator?: string;
  clip?: number;
  context?: number;
  target?: string;
  /** above this many windows the labeler ranks a random pool of them */
  poolWindows?: number;
  /** the labeler's pool, drawn once (domain/window-pool.ts) for `windows` = the poolWindows setting then */
  pool?: { seed: number; share: number; windows: number };
}

/**
 * hark.json. Since version 2 it holds the settings a store started with (and keys a user remapped by hand); the
 * decisions, and later settings changes, are lines in the journals beside it (journals/<writer>.jsonl).
 */
export interface StoreFile {
  format: 'hark-store';
  version: number;
  config: StoreConfig;
  /** version 1 only: every decision, rewritten whole on each save */
  records?: LabelRecord[];
}

export const STORE_VERSION = 2;
