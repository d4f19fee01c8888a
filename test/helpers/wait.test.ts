import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil, within } from './wait.js';

test('a wait for something that never happens ends and says what it waited for, instead of spinning forever', async () => {
  await assert.rejects(waitUntil(() => false, 'session 3 on screen', { timeoutMs: 50, pollMs: 0 }), /timed out after 50 ms waiting for session 3 on screen/);
  await assert.rejects(within(new Promise(() => {}), 'the model to be ready', 50), /timed out after 50 ms waiting for the model to be ready/);
  let n = 0;
  assert.equal(await waitUntil(() => ++n >= 3 && n, 'the third poll', { pollMs: 0 }), 3);
});
