/**
 * Keypress to the next clip's first audio bytes at the sound device: a real labeling session (store on disk,
 * prefetching clip loader, speaker in its child process) playing into ALSA's file plugin.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeDemoCollection } from '../src/audio/demo-collection.js';
import { createPlayer } from '../src/audio/player/index.js';
import { openCollection } from '../src/commands/collection.js';
import { labelDefs } from '../src/commands/label.js';
import { startSession } from '../src/ui/start-session.js';
import { createAlsaFileSink } from '../test/helpers/alsa.js';

const ROUNDS = 20;
const work = mkdtempSync(join(tmpdir(), 'hark-bench-latency-'));
const sink = await createAlsaFileSink();
try {
  writeDemoCollection(join(work, 'media'), { files: 3, seconds: 120 });
  const collection = await openCollection({ media: join(work, 'media'), store: join(work, 'store') });
  await collection.store.setConfig({ labels: labelDefs(['A', 'B']) });
  const player = await createPlayer('speaker', { env: { ...process.env, ...sink.env } });
  const session = startSession(collection, player, { seed: 5, onExit: () => {} });
  const { controller } = session;
  controller.start();
  const deviceBytes = () => {
    try {
      return statSync(sink.file).size;
    } catch {
      return 0;
    }
  };
  const settle = () => new Promise((r) => setTimeout(r, 1300));
  await settle();
  const latencies: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await sink.clear();
    const t0 = performance.now();
    controller.dispatch({ type: 'command', command: { type: 'label', index: i % 2 } });
    while (deviceBytes() === 0 && performance.now() - t0 < 2000) await new Promise((r) => setImmediate(r));
    latencies.push(performance.now() - t0);
    await settle();
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) => +latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  console.log(JSON.stringify({ bench: 'label-latency', what: 'keypress to next clip first bytes at the device (ms)', rounds: ROUNDS, median_ms: q(0.5), p90_ms: q(0.9), max_ms: q(1), labels_saved: collection.store.records.length }));
  await Promise.all([player.close(), session.close()]);
  collection.store.close();
} finally {
  await sink.remove();
  rmSync(work, { recursive: true, force: true });
}
