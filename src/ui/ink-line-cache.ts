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
const MAX_LINES = 512;

type StyledChars = unknown[];
interface OutputCaches {
  getStyledChars(line: string): StyledChars;
}

const inkOutput = join(dirname(createRequire(import.meta.url).resolve('ink')), 'output.js');
const { default: Output } = (await import(pathToFileURL(inkOutput).href)) as { default: new (size: { width: number; height: number }) => { caches?: OutputCaches } };
let kept = false;

/** Makes Ink keep each line's styled characters across frames (most recently drawn first); true when in effect. */
export function keepScreenLinesAcrossFrames(): boolean {
  if (kept) return true;
  const caches = Object.getPrototypeOf(new Output({ width: 0, height: 0 }).caches ?? null) as OutputCaches | null;
  const perFrame = caches?.getStyledChars;
  if (!caches || typeof perFrame !== 'function') return false;
  const lines = new Map<string, StyledChars>();
  caches.getStyledChars = function (this: OutputCaches, line: string): StyledChars {
    let chars = lines.get(line);
    if (chars) lines.delete(line);
    else chars = perFrame.call(this, line);
    lines.set(line, chars);
    if (lines.size > MAX_LINES) lines.delete(lines.keys().next().value!);
    return chars;
  };
  kept = true;
  return true;
}
