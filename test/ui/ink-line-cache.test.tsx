import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { buildKeyMap } from '../../src/app/keymap.js';
import { initialSession, reduce } from '../../src/app/session.js';
import { decodeClipAndSpectrogram, PLAYBACK_RATE } from '../../src/audio/clip-loader.js';
import { LabelScreen } from '../../src/ui/label-screen.js';
import { drawAhead, keepScreenLinesAcrossFrames } from '../../src/ui/ink-line-cache.js';
import { spectrogramRows } from '../../src/ui/spectrogram-view.js';
import { fitSpectrogram } from '../../src/audio/spectrogram.js';
import { demoCollection } from '../helpers/fixtures.js';

const labels = [
  { name: 'Tone', key: '1' },
  { name: 'Other', key: '2' },
];
const { keymap } = buildKeyMap(labels.map((l) => l.key));

const clips = [4, 9, 4, 7].map((start, window) => ({ window, file: 'demo-01.wav', start, duration: 1, how: 'random', reason: 'random' }));

async function clipAudio(media: string) {
  return Promise.all(
    clips.map(async (clip) => ({
      window: clip.window,
      data: { ...(await decodeClipAndSpectrogram(join(media, clip.file), clip.start - 1, 3, { sampleRate: PLAYBACK_RATE, tempo: 1 })), sampleRate: PLAYBACK_RATE, clipFrom: PLAYBACK_RATE, clipTo: 2 * PLAYBACK_RATE },
    })),
  );
}

/** The frames Ink draws for a few keys over clips of real audio: counts, a message, the clips' spectrograms. */
function framesOfAFewKeys(audio: Awaited<ReturnType<typeof clipAudio>>): string[] {
  let [session] = reduce(initialSession(labels, {}, 0, 'Tone'), { type: 'clips', clips });
  const screen = (n: number) => (
    <LabelScreen view={{ session, audio: audio[n], player: { mode: 'none', ok: true } }} keymap={keymap} storePath="/s" columns={100} rows={30} color="truecolor" now={0} />
  );
  const app = render(screen(0));
  for (let n = 0; n < clips.length; n++) {
    session = { ...session, message: { text: `clip ${n}`, level: 'info' } };
    app.rerender(screen(n));
    [session] = reduce(session, { type: 'saved', id: `id-${n}`, clip: clips[n], decision: { label: 'Tone', kind: 'label' } });
    app.rerender(screen(Math.min(n + 1, clips.length - 1)));
  }
  app.unmount();
  return app.frames;
}

test('with screen lines kept across frames and the next clip drawn ahead, Ink draws exactly the frames it drew before', async () => {
  const audio = await clipAudio(demoCollection({ files: 1, seconds: 12 }).dir);
  const drawnByInk = framesOfAFewKeys(audio);
  assert.ok(drawnByInk.some((f) => /\u001b\[38;2;/.test(f)), 'the frames show a spectrogram in colour');
  assert.equal(keepScreenLinesAcrossFrames(), true, 'this Ink no longer has the per-frame line cache that hark keeps across frames: keys would be answered slower');
  // the last clip's lines are split ahead, before any frame draws them; the others as frames draw them
  await drawAhead(spectrogramRows(fitSpectrogram(audio[3].data.spectrogram, 99, 12), 6, 'truecolor'));
  assert.deepEqual(framesOfAFewKeys(audio), drawnByInk);
});
