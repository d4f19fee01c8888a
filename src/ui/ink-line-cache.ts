import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Ink draws every frame whole: each line of the screen is split into styled characters again (ink/build/output.js
 * keeps them for one frame only). The spectrogram's lines are mostly 24-bit colour codes, and splitting them was most
 * of a frame: about 25 ms of the 27 ms Ink spent on a 100x30 label screen under load, every key, every second. Kept
 * across frames, a line costs that once, while it stays on the screen. Ink's cache is private, so it is reached
 * through Output's prototype; an Ink without it draws as before (slower), and a test notices.
 */
/** a frame is about 30 lines; the spectrogram on screen and the next one drawn ahead 12 (about 20 kB each when split) */
const MAX_LINES = 128;

type StyledChars = unknown[];
interface OutputCaches {
  getStyledChars(line: string): StyledChars;
}

const inkOutput = join(dirname(createRequire(import.meta.url).resolve('ink')), 'output.js');
const { default: Output } = (await import(pathToFileURL(inkOutput).href)) as { default: new (size: { width: number; height: number }) => { caches?: OutputCaches } };
const kept = new Map<string, StyledChars>();
/** Ink's own splitting of a line, once reached */
let split: ((line: string) => StyledChars) | undefined;

/** The line's styled characters, as the most recently used. */
function keep(line: string, chars: StyledChars): StyledChars {
  kept.delete(line);
  kept.set(line, chars);
  if (kept.size > MAX_LINES) kept.delete(kept.keys().next().value!);
  return chars;
}

/** Makes Ink keep each line's styled characters across frames (the most recently drawn); true when in effect. */
export function keepScreenLinesAcrossFrames(): boolean {
  if (split) return true;
  const caches = Object.getPrototypeOf(new Output({ width: 0, height: 0 }).caches ?? null) as OutputCaches | null;
  const perFrame = caches?.getStyledChars;
  if (!caches || typeof perFrame !== 'function') return false;
  caches.getStyledChars = function (this: OutputCaches, line: string): StyledChars {
    return keep(line, kept.get(line) ?? perFrame.call(this, line));
  };
  split = (line) => perFrame.call(new Output({ width: 0, height: 0 }).caches!, line);
  return true;
}

/**
 * Splits lines Ink is about to draw as they are (in a Text without colour or wrapping of its own, such as the next
 * clip's spectrogram) while the screen waits for a key, one line a turn of the event loop so that a key waits for at
 * most one line: the frame that answers the key then finds them split. Resolves when they are.
 */
export async function drawAhead(lines: readonly string[]): Promise<void> {
  for (const line of lines) {
    await new Promise((turn) => setImmediate(turn));
    if (split && !kept.has(line)) keep(line, split(line));
  }
}
