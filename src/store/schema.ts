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
}

export interface StoreData {
  format: 'hark-store';
  version: number;
  config: StoreConfig;
  records: LabelRecord[];
}

export const STORE_VERSION = 1;
