import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';

/**
 * A JSON file replaced whole by a rename, with a temporary file of this process's own: lowdb's JSONFile shares one
 * temporary name, so two annotators saving the probe cache at once could rename each other's half-written file.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async write(data: T): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, this.file);
  }
}
