/** Runs every benchmark (or those named on the command line), each in its own process, and prints one JSON array. */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'corpus.ts'].includes(f) && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
const results: unknown[] = [];
for (const name of chosen) {
  process.stderr.write(`bench: ${name} …\n`);
  try {
    const out = execFileSync('node', ['--import', 'tsx', join(here, `${name}.ts`)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 << 20,
      env: { NODE_ENV: 'production', ...process.env }, // as bin/hark.js runs
    });
    results.push(...parseJsonOutput(out));
  } catch (err) {
    results.push({ bench: name, error: (err as Error).message.split('\n')[0] });
    process.exitCode = 1;
  }
}
console.log(JSON.stringify(results, null, 2));

/** A benchmark prints one JSON document (maybe pretty-printed) or one JSON object per line. */
function parseJsonOutput(out: string): unknown[] {
  try {
    return [JSON.parse(out)];
  } catch {
    return out.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
  }
}
