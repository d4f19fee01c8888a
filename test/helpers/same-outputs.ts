import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Two apply output folders hold the same files with the same bytes, and the same summary.json but for where it was
 * written and how long it took.
 */
export function assertSameOutputs(expected: string, actual: string): void {
  const names = (dir: string) => filesUnder(dir).map((f) => relative(dir, f)).sort();
  assert.deepEqual(names(actual), names(expected), 'the same files');
  for (const name of names(expected)) {
    if (name === 'summary.json') continue;
    assert.equal(readFileSync(join(actual, name), 'utf8'), readFileSync(join(expected, name), 'utf8'), `${name} is byte for byte the same`);
  }
  const summary = (dir: string) => {
    const { out: _out, files, seconds: _s, realTime: _r, ...rest } = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    return { ...rest, files: (files as string[]).map((f) => relative(dir, f)) };
  };
  assert.deepEqual(summary(actual), summary(expected), 'the same summary');
}
