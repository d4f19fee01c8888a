import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of background threads: they get the CPU whenever the labeling screen and audio do not need it. */
const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority, so on a 2-core laptop a feature extraction never delays the
 * answer to a key press. Linux keeps a nice value per thread (found through /proc/thread-self);
 * elsewhere this does nothing.
 */
export function runInBackground(): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), BACKGROUND_NICE);
  } catch {
    // no per-thread priorities on this system: background work competes as before
  }
}

/** Lowers another process's priority to that of background threads (the threads it starts later inherit it). */
export function runProcessInBackground(pid: number): void {
  try {
    setPriority(pid, BACKGROUND_NICE);
  } catch {
    // the process has already exited, or priorities cannot be changed here
  }
}
