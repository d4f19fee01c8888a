import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readStore } from '../../src/store/label-store.js';
import { join, resolve } from 'node:path';
import { createClipLoader } from '../../src/audio/clip-loader.js';
import { toInt16 } from '../../src/audio/decode.js';
import { DEFAULT_SETTINGS } from '../../src/collection/settings.js';
import { createAlsaFileSink, isClipThenSilence, pcmBytes } from '../helpers/alsa.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { within } from '../helpers/wait.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const HARK = resolve('bin/hark.js');
const CLIP_ON_SCREEN = /(demo-0\d\.wav) (\d):(\d\d):(\d\d\.\d) \+1\.0s/;

function clipOnScreen(screen: string): { file: string; start: number } {
  const m = CLIP_ON_SCREEN.exec(screen)!;
  return { file: m[1], start: Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) };
}

test('labeling on a "server" with --player tcp:// plays each clip on the listening "laptop", byte for byte', async (t) => {
  const { dir } = demoCollection({ files: 1, seconds: 20 });
  const sink = await createAlsaFileSink();
  t.after(() => sink.remove());
  const port = String(20000 + (process.pid % 20000));
  const listener = spawn('node', [HARK, 'listen', '--port', port, '--token', 'sesame', '--player', 'speaker'], {
    env: { ...process.env, ...sink.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => listener.kill());
  await within(new Promise<void>((ok) => listener.stdout.on('data', (d: Buffer) => d.toString().includes('listening on') && ok())), 'hark listen to say "listening on"', 60_000);

  const store = join(tempDir(), 'store');
  const term = new TmuxTerminal(`node ${HARK} label '${dir}' --store '${store}' --labels 'A,B' --player tcp://127.0.0.1:${port}`, {
    env: { HOME: tempDir('hark-home-'), HARK_TOKEN: 'sesame' },
  });
  // the clip as the labeler decodes it (with its context, then cut): the transport must deliver it unchanged
  const loader = createClipLoader(DEFAULT_SETTINGS.context);
  const expected = async (screen: string) => {
    const { file, start } = clipOnScreen(screen);
    const audio = await loader.load({ abs: join(dir, file), start, duration: 1, fileDuration: 20, tempo: 1 });
    return pcmBytes(toInt16(audio.samples.subarray(audio.clipFrom, audio.clipTo)));
  };
  const first = await term.waitFor(CLIP_ON_SCREEN);
  const clip1 = await expected(first);
  await sink.waitFor((written) => isClipThenSilence(written, clip1), 5000);

  await sink.clear();
  term.keys('1');
  const second = await term.waitFor(/session 1 /);
  assert.notEqual(clipOnScreen(second).start + clipOnScreen(second).file, clipOnScreen(first).start + clipOnScreen(first).file);
  const clip2 = await expected(second);
  await sink.waitFor((written) => isClipThenSilence(written, clip2), 5000);
  assert.match(term.screen(), /audio: tcp/);
  term.keys('q');
  await term.waitFor(() => term.exited());
  assert.equal(readStore(store).records.length, 1);
});
