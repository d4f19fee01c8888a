import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { workerRequests } from '../../src/threads/request-reply.js';

/** A worker that answers {n} with {id, twice: 2n} out of order (larger n later), says hello unasked, and exits on n < 0. */
const ECHO = `
const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ type: 'hello' });
parentPort.on('message', ({ id, n }) => {
  if (n < 0) process.exit(3);
  setTimeout(() => parentPort.postMessage({ id, twice: 2 * n }), n * 20);
});`;

test('each answer from a worker thread reaches the request that asked for it, and a dead thread answers no one forever', async (t) => {
  const worker = new Worker(ECHO, { eval: true });
  t.after(() => worker.terminate());
  const events: unknown[] = [];
  const requests = workerRequests<{ n: number }, { id: number; twice: number }, { type: string }>(worker, { onEvent: (e) => events.push(e) });
  const answers = await Promise.all([3, 1, 2].map((n) => requests.ask({ n })));
  assert.deepEqual(answers.map((a) => a.twice), [6, 2, 4]);
  assert.deepEqual(events, [{ type: 'hello' }], 'a message no request waits for is an event');
  const waiting = requests.ask({ n: 50 });
  const killer = requests.ask({ n: -1 });
  await assert.rejects(waiting, /the worker stopped/);
  await assert.rejects(killer, /the worker stopped/);
  assert.equal(requests.stopped, true);
  await assert.rejects(requests.ask({ n: 1 }), /the worker stopped/);
});
