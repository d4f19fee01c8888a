import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labeledStore } from './labeled-store.js';

export const RECIPES = resolve('recipes');

/** Whether a program answers `--version`: the recipes' tools (sbatch, parallel) are not on every machine. */
export function installed(program: string): boolean {
  return spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A labeled collection in `dir`, and an environment whose PATH has the built `hark` first, as a user's would after
 * `npm link`: the README's recipes call `hark`.
 */
export async function clusterFixture(dir: string): Promise<{ media: string; store: string; env: NodeJS.ProcessEnv; hark: (...args: string[]) => string }> {
  const { media, store } = await labeledStore(dir, { files: 6, seconds: 20 });
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(resolve('bin/hark.js'), join(bin, 'hark'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
  const hark = (...args: string[]) => run('hark', args, { env, cwd: dir });
  return { media, store, env, hark };
}

/** Runs a program to completion (bounded), failing with its output when it fails; returns its stdout and stderr. */
export function run(program: string, args: string[], opts: SpawnSyncOptions, timeoutMs = 600_000): string {
  const result = spawnSync(program, args, { ...opts, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(result.error, undefined, `${program} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s: ${result.error?.message}\n${output}`);
  assert.equal(result.status, 0, `${program} ${args.join(' ')} failed:\n${output}`);
  return output;
}

/** The "x real time" figures hark extract printed, one per shard. */
export function realTimeFigures(output: string): number[] {
  return [...output.matchAll(/\((\d+)x real time\), cached/g)].map((m) => Number(m[1]));
}
