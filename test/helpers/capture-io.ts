import { Writable } from 'node:stream';

/** Streams a command writes to, keeping the text for the test to read. */
export function captureIO() {
  const text = { out: '', err: '' };
  const sink = (key: 'out' | 'err') =>
    new Writable({
      write(chunk, _encoding, done) {
        text[key] += String(chunk);
        done();
      },
    });
  return { io: { out: sink('out'), err: sink('err') }, text };
}
