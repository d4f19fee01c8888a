import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { within } from '../helpers/wait.js';
import { startWorker } from '../../src/threads/start-worker.js';

test('a background thread lowers its own priority and leaves the screen thread as it was', { skip: process.platform !== 'linux' }, async () => {
  const worker = startWorker(new URL('../helpers/priority-worker.ts', import.meta.url));
  const reply = await within(new Promise<{ before: number; after: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }), 'the worker to report its priority', 60_000);
  await worker.terminate();
  const mainThread = Number(readlinkSync('/proc/thread-self').split('/').pop());
  assert.ok(reply.after > reply.before, `nice ${reply.before} -> ${reply.after}`);
  assert.equal(getPriority(mainThread), reply.before, 'the main thread keeps its priority');
});
