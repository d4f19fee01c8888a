import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { formatListenStatus, runListen } from '../../src/commands/listen.js';
import { captureIO } from '../helpers/capture-io.js';

test('a listener open to other machines without a token warns, in one line, that anyone can play sound', async () => {
  const open = captureIO();
  const listener = await runListen({ host: '0.0.0.0', port: 0, player: 'none', out: open.io.out, err: open.io.err, env: {} });
  await listener.close();
  assert.match(open.text.err, /^Warning: anyone who can reach 0\.0\.0\.0:\d+ can play sound here: set HARK_TOKEN/);
  assert.equal(open.text.err.split('\n').length, 2, 'one line');

  for (const opts of [{ host: '0.0.0.0', token: 'secret' }, { host: '127.0.0.1' }]) {
    const quiet = captureIO();
    const safe = await runListen({ ...opts, port: 0, player: 'none', out: quiet.io.out, err: quiet.io.err, env: {} });
    await safe.close();
    assert.equal(quiet.text.err, '', JSON.stringify(opts));
  }
});

test('the status line counts one clip in the singular', () => {
  const line = formatListenStatus({ address: { host: '127.0.0.1', port: 7777 }, output: { mode: 'none', ok: true }, peers: [], played: 1 });
  assert.match(line, /\| 1 clip played$/);
});

test('on a 100-column terminal the status line fits, so it is rewritten in place instead of piling up', async () => {
  const out = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
  let printed = '';
  out.on('data', (chunk) => (printed += chunk));
  const listener = await runListen({ port: 0, player: 'none', out, env: {} });
  await listener.close();
  const line = printed.replace(/^\r\x1b\[2K/, '').trimEnd();
  assert.ok(line.length < 100, `${line.length} columns: ${line}`);
  assert.match(line, /^listening on 127\.0\.0\.1:\d+ \| output none/);
});
