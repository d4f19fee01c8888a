import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The shared benchmark corpus beside the project (../shared/corpus/NAME); benchmarks need it, tests never do. */
export function benchCorpus(name: 'dev' | 'tiny'): string {
  const dir = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'shared', 'corpus', name);
  if (!existsSync(dir)) {
    console.error(`The benchmark corpus ${dir} is not here; pass a media folder instead.`);
    process.exit(2);
  }
  return dir;
}
