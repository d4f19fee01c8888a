import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts a script in a small Node process of its own, messages passed with the structured clone (typed arrays
 * included), Node started with `nodeOptions`. A .ts script runs through tsx's loader, found from here so any working
 * directory will do.
 */
export function startProcess(script: URL, nodeOptions: string[] = []): ChildProcess {
  const execArgv = [...nodeOptions, ...(script.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [])];
  return fork(fileURLToPath(script), [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
}
