import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../domain/user-error.js';

/** Temp name, then rename: an interrupted write leaves the previous complete file, never half a new one. */
export function writeAtomically(path: string, text: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new UserError(`Cannot write ${path}: ${(err as Error).message}`);
  }
}
