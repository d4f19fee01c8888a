import type { Readable } from 'node:stream';

const KEEP_CHARS = 2000;

/** Keeps the end of what a child prints, so a failure can be explained by its last line. */
export function trackLastLine(stream: Readable | null): () => string {
  let tail = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (text: string) => {
    tail = (tail + text).slice(-KEEP_CHARS);
  });
  return () => tail.trim().split('\n').pop()?.trim() ?? '';
}
