import { closeSync, fstatSync, openSync, readdirSync, readSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { JournalEntry } from './journal-entry.js';
import { parseJournal } from './journal-file.js';

interface Position {
  ino: number;
  offset: number;
}

/** What changed in another writer's journal: new lines, or (after it was compacted or replaced) all of it again. */
export interface JournalChange {
  file: string;
  entries: JournalEntry[];
  replaced: boolean;
}

/**
 * Reads the other writers' journals in a store folder and what they append afterwards. Each journal has one writer,
 * who only appends (or, at its open, replaces it whole), so reading on from the last whole line is safe while they
 * write. A change is noticed by file watching, and by polling, which works on network filesystems where watching does not.
 */
export class JournalFollower {
  private positions = new Map<string, Position>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly folder: string,
    private readonly skip: string,
  ) {}

  /** Every other journal as it is now. */
  readAll(): Map<string, JournalEntry[]> {
    const all = new Map<string, JournalEntry[]>();
    for (const change of this.poll()) all.set(change.file, change.entries);
    return all;
  }

  /** Starts calling `onChange` with whatever the other writers append, within about `pollMs`. */
  follow(onChange: (changes: JournalChange[]) => void, pollMs = 1000): void {
    const check = () => {
      const changes = this.poll();
      if (changes.length) onChange(changes);
    };
    try {
      // the writer's own appends (every key) need no look at the others' journals
      this.watcher = watch(this.folder, (_, name) => (name && join(this.folder, name) === this.skip ? undefined : check()));
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      /* polling alone */
    }
    this.timer = setInterval(check, pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
  }

  /** New whole lines in each journal since the last look; a journal that is not readable now is tried again later. */
  poll(): JournalChange[] {
    const changes: JournalChange[] = [];
    let names: string[];
    try {
      names = readdirSync(this.folder).filter((f) => f.endsWith('.jsonl'));
    } catch {
      return changes;
    }
    for (const name of names.sort()) {
      const file = join(this.folder, name);
      if (file === this.skip) continue;
      try {
        const change = this.readOn(file);
        if (change) changes.push(change);
      } catch {
        /* mid-rename or damaged: looked at again on the next poll */
      }
    }
    return changes;
  }

  private readOn(file: string): JournalChange | undefined {
    const fd = openSync(file, 'r');
    try {
      const { ino, size } = fstatSync(fd);
      const known = this.positions.get(file);
      const replaced = known !== undefined && (known.ino !== ino || size < known.offset);
      const from = known && !replaced ? known.offset : 0;
      if (known && !replaced && size === from) return undefined;
      const buf = Buffer.alloc(size - from);
      for (let done = 0; done < buf.length; ) {
        const n = readSync(fd, buf, done, buf.length - done, from + done);
        if (n === 0) break;
        done += n;
      }
      const { entries, goodBytes } = parseJournal(buf.toString('utf8'), file);
      this.positions.set(file, { ino, offset: from + goodBytes });
      return entries.length || replaced || !known ? { file, entries, replaced } : undefined;
    } finally {
      closeSync(fd);
    }
  }
}
