import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { extractProgress } from '../../src/commands/extract-progress.js';

function stream(isTTY: boolean) {
  const s = new Writable({
    write(chunk, _encoding, done) {
      s.text += String(chunk);
      done();
    },
  }) as Writable & { text: string; isTTY: boolean };
  s.text = '';
  s.isTTY = isTTY;
  return s;
}

const step = (filesDone: number, secondsDone: number) => ({ filesDone, filesTotal: 100, secondsDone, secondsTotal: 100 * 3600, failed: 0 });

test('in a log file progress is a short list of lines: the first file, then one per tenth of the audio', () => {
  const err = stream(false);
  let clock = 0;
  const report = extractProgress(err, () => clock);
  for (let f = 1; f <= 100; f++) {
    clock += 10_000;
    report(step(f, f * 3600));
  }
  const lines = err.text.trim().split('\n');
  assert.equal(lines.length, 11);
  assert.equal(lines.at(-1), 'features: 100/100 recordings, 100.00 of 100.00 h, 360x real time');
});

test('on a terminal progress rewrites one line and ends it when done', () => {
  const err = stream(true);
  const report = extractProgress(err, () => 0);
  report(step(1, 3600));
  report(step(100, 100 * 3600));
  assert.equal(err.text, '\rfeatures: 1/100 recordings, 1.00 of 100.00 h\x1b[K\rfeatures: 100/100 recordings, 100.00 of 100.00 h\x1b[K\n');
});
