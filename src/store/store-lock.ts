import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreError } from './store-error.js';

interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/**
 * Takes a lock file of the store (by default the store's own; each annotator's journal has its own), recovering a
 * stale one left by a dead process on this host.
 */
export function acquireStoreLock(dir: string, file = join(dir, 'lock'), hint = 'Quit that hark first'): () => void {
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      return () => {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && holder.host === me.host && !isAlive(holder.pid)) {
        unlinkSync(file);
        continue;
      }
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process';
      throw new StoreError(
        `The store ${dir} is in use by ${who}. ${hint}, or if it is gone, delete ${file}.`,
      );
    }
  }
  throw new StoreError(`Could not lock the store ${dir}.`);
}

/** Whether a lock file is held: it is there, and not left behind by a process on this host that has died. */
export function lockHeld(file: string): boolean {
  const holder = readHolder(file);
  if (!holder) return false;
  return holder.host !== hostname() || isAlive(holder.pid);
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed process whose parent has not reaped it yet still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
