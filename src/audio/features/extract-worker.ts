import { parentPort } from 'node:worker_threads';
import { writeCachedFeatures } from '../../store/feature-cache.js';
import { runInBackground } from '../../threads/thread-priority.js';
import { decodeStream } from '../decode-stream.js';
import type { ExtractJob, ExtractReply } from './extract-job.js';
import { FEATURE_SAMPLE_RATE, windowFeatureStream } from './window-features.js';

runInBackground();
const port = parentPort!;

port.on('message', async ({ file, abs, key, cacheDir }: ExtractJob) => {
  let reply: ExtractReply;
  try {
    const stream = windowFeatureStream({ windows: key.windows, clip: key.clip });
    await decodeStream(abs, FEATURE_SAMPLE_RATE, (chunk) => stream.push(chunk));
    const vectors = stream.finish();
    // a cache that cannot be written (disk full, read-only store) only costs a re-extraction next time
    const saved = await writeCachedFeatures(cacheDir, key, vectors).then(
      () => true,
      () => false,
    );
    reply = { type: 'done', file, vectors, saved };
  } catch (err) {
    reply = { type: 'failed', file, reason: (err as Error).message };
  }
  port.postMessage(reply, reply.type === 'done' ? [reply.vectors.buffer as ArrayBuffer] : []);
});
