import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runInBackground } from '../../src/threads/thread-priority.js';

/** A worker that moves itself to the background and reports its nice value before and after. */
const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
const before = getPriority(tid);
runInBackground();
parentPort!.postMessage({ before, after: getPriority(tid) });
