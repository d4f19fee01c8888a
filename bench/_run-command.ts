/** What the benchmarks that drive hark's commands share: running one in-process, and stores sharing a feature cache. */
import { mkdirSync, symlinkSync } from 'node:fs';
import { Writable } from 'node:stream';
import { featureCacheDir } from '../src/store/feature-cache.js';

/** A stream that keeps what is written to it. */
function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

export async function run(what: string, command: (io: { out: Writable; err: Writable }) => Promise<number>): Promise<string> {
  const io = { out: sink(), err: sink() };
  const code = await command(io);
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${io.err.text.trim().split('\n').at(-1)}`);
  return io.out.text;
}

/** A store for one condition that shares an already filled feature cache. */
export function storeWithFeatures(dir: string, features: string | undefined): string {
  mkdirSync(dir, { recursive: true });
  if (features) symlinkSync(features, featureCacheDir(dir));
  return dir;
}
