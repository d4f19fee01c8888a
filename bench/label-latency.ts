/**
 * Keypress to the next clip's first audio bytes at the sound device: a real labeling session (store on disk,
 * prefetching clip loader, learner) playing through speaker in its child process into ALSA's file plugin; then the
 * same with the labeler on a "server" sending clips over loopback TCP to `hark listen` on a "laptop".
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PLAYBACK_RATE } from '../src/audio/clip-loader.js';
import { writeDemoCollection } from '../src/audio/demo-collection.js';
import { createPlayer } from '../src/audio/player/index.js';
import type { Player } from '../src/audio/player/types.js';
import { openCollection } from '../src/collection/open-collection.js';
import { labelDefs } from '../src/commands/label.js';
import { runListen } from '../src/commands/listen.js';
import { HEADER_BYTES } from '../src/audio/remote/protocol.js';
import { startSession } from '../src/labeler/start-session.js';
import { waitUntil } from '../test/helpers/wait.js';
import { createAlsaFileSink, type AlsaFileSink } from '../test/helpers/alsa.js';

const ROUNDS = 20;

async function measure(work: string, name: string, sink: AlsaFileSink, player: Player) {
  const collection = await openCollection({ media: join(work, 'media'), store: join(work, `store-${name}`) });
  await collection.store.setConfig({ labels: labelDefs(['A', 'B']) });
  const session = startSession(collection, player, { seed: 5, onExit: () => {} });
  session.controller.start();
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
    session.controller.dispatch({ type: 'command', command: { type: 'label', index: i % 2 } });
    await waitUntil(() => deviceBytes() > 0, `the sound of label ${i + 1}'s next clip at the device`, { timeoutMs: 2000, pollMs: 0 });
    latencies.push(performance.now() - t0);
    await settle();
  }
  await Promise.all([player.close(), session.close()]);
  collection.store.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => +latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return { median_ms: q(0.5), p90_ms: q(0.9), max_ms: q(1) };
}

const work = mkdtempSync(join(tmpdir(), 'hark-bench-latency-'));
const sink = await createAlsaFileSink();
try {
  writeDemoCollection(join(work, 'media'), { files: 3, seconds: 120 });
  const env = { ...process.env, ...sink.env };
  const local = await measure(work, 'local', sink, await createPlayer('speaker', { env }));
  const listener = await runListen({ port: 0, player: 'speaker', env, out: new Writable({ write: (_c, _e, done) => done() }) });
  const remote = await measure(work, 'tcp', sink, await createPlayer(`tcp://127.0.0.1:${listener.address.port}`));
  await listener.close();
  console.log(
    JSON.stringify({
      bench: 'label-latency',
      what: 'keypress to the next clip first bytes at the sound device (ms)',
      rounds: ROUNDS,
      local_speaker: local,
      over_tcp_to_hark_listen: remote,
      tcp_bytes_per_one_second_clip: HEADER_BYTES + 4 + PLAYBACK_RATE * 2, // frame header, sample rate, samples
      tcp_raw_bytes_per_one_second_clip: 16000 * 2,
    }),
  );
} finally {
  await sink.remove();
  rmSync(work, { recursive: true, force: true });
}
