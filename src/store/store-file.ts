import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeAtomically } from './atomic-write.js';
import { StoreError } from './store-error.js';
import { STORE_VERSION, type StoreConfig, type StoreFile } from './schema.js';
import type { JournalEntry } from './journal-entry.js';
import { JournalFile, syncFolder } from './journal-file.js';

/** Reads and checks a store's hark.json; undefined when there is none. Refuses, untouched, a file it does not understand. */
export function readStoreFile(file: string): StoreFile | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StoreError(`Cannot read the store ${file}: ${(err as Error).message}`);
  }
  let data: Partial<StoreFile>;
  try {
    data = JSON.parse(text) as Partial<StoreFile>;
  } catch {
    const restore = `Restore it from ${file}.bak if there is one, or use another --store folder.`;
    throw new StoreError(`The store ${file} is damaged (not valid JSON); hark has not changed it. ${restore}`);
  }
  const v1 = data?.version === 1;
  if (data?.format !== 'hark-store' || typeof data.config !== 'object' || (v1 && !Array.isArray(data.records))) {
    throw new StoreError(`${file} is not a hark store; hark has not changed it. Use another --store folder.`);
  }
  if (typeof data.version !== 'number' || data.version > STORE_VERSION) {
    throw new StoreError(
      `The store ${file} was written by a newer hark (store version ${data.version}); this hark reads version ${STORE_VERSION}. Update hark; the file has not been changed.`,
    );
  }
  return data as StoreFile;
}

/** Writes hark.json whole and at once (a new file renamed over the old). */
export function writeStoreFile(file: string, config: StoreConfig): void {
  const data: StoreFile = { format: 'hark-store', version: STORE_VERSION, config };
  writeAtomically(file, `${JSON.stringify(data, null, 2)}\n`); // a failed write (a full disk) leaves no temporary file
  syncFolder(dirname(file));
}

/**
 * Moves a version 1 store (every decision in hark.json) to journals, once: hark.json is kept as hark.json.bak, its
 * decisions become the first writer's journal, and hark.json keeps only the settings. A crash part-way leaves
 * version 1 in place, and the next open starts over.
 */
export function migrateVersion1(file: string, v1: StoreFile, journal: string): StoreFile {
  copyFileSync(file, `${file}.bak`);
  const entries: JournalEntry[] = (v1.records ?? []).map((add) => ({ add }));
  const writer = new JournalFile(journal);
  writer.rewrite(entries);
  writer.close();
  writeStoreFile(file, v1.config);
  return { format: 'hark-store', version: STORE_VERSION, config: v1.config };
}
