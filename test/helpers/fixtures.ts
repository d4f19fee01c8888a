import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { writeDemoCollection, type DemoOptions, type TruthRow } from '../../src/audio/demo-collection.js';

/** A temp folder removed when the test file ends. */
export function tempDir(prefix = 'hark-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A small synthesized WAV collection in a temp folder, with its truth. */
export function demoCollection(opts: DemoOptions = { files: 2, seconds: 20 }): { dir: string; truth: TruthRow[] } {
  const dir = join(tempDir(), 'media');
  return { dir, truth: writeDemoCollection(dir, opts) };
}
