import { Worker, type WorkerOptions } from 'node:worker_threads';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The URL of a worker script beside `base` (pass import.meta.url), with the caller's own extension,
 * so it points at the .ts source under tsx and at the .js file in a build.
 */
export function siblingScript(name: string, base: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(base))}`, base);
}

/**
 * Starts a worker thread. A .ts script is loaded through tsx's API: on Node 20 a worker does not get the loader
 * that `--import tsx` gave the main thread (tsx issue #354), so it is registered inside the worker first.
 */
export function startWorker(script: URL, options: WorkerOptions = {}): Worker {
  // A small young generation: our workers keep their data in typed arrays, and V8's default semi-spaces
  // (16 MB each, per thread) would otherwise fill with short-lived garbage and stay resident.
  const limited = { ...options, resourceLimits: { maxYoungGenerationSizeMb: 4, ...options.resourceLimits } };
  if (!script.pathname.endsWith('.ts')) return new Worker(script, limited);
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(boot, { ...limited, eval: true });
}
