import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { startSession } from '../../src/labeler/start-session.js';
import { openCollection, type Collection } from '../../src/collection/open-collection.js';
import { createPlayer } from '../../src/audio/player/index.js';
import { labelDefs } from '../../src/commands/label.js';
import { LABEL_PRESETS } from '../../src/ui/setup-screen.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { waitForFrame } from '../helpers/wait-for-frame.js';
import { waitUntil } from '../helpers/wait.js';

async function collectionWith(labels?: string[]): Promise<Collection> {
  const { dir } = demoCollection({ files: 1, seconds: 10 });
  const collection = await openCollection({ media: dir, store: join(tempDir(), 'store') });
  if (labels) await collection.store.setConfig({ labels: labelDefs(labels) });
  return collection;
}

/** The labeling screen on a collection whose store knows its labels, as `hark label` starts it; closed after the test. */
async function renderLabeling(t: TestContext, collection: Collection, seed: number) {
  t.after(() => collection.store.close());
  const ready = startSession(collection, await createPlayer('none'), { seed, onExit: () => {} });
  t.after(() => ready.close());
  const app = render(<App storePath={collection.store.dir} color={false} ready={ready} />);
  t.after(app.unmount);
  return { ...app, ready };
}

test('the label screen shows the clip, the label keys with counts, and counts a label once it is saved', async (t) => {
  const collection = await collectionWith(['Music', 'Speech']);
  const { lastFrame, stdin } = await renderLabeling(t, collection, 3);
  await waitForFrame(lastFrame, /demo-01\.wav 0:00:0\d\.0 \+1\.0s · random/);
  // with colour off, a loudness strip stands in for the spectrogram once the clip is decoded
  const frame = await waitForFrame(lastFrame, /[▁▂▃▄▅▆▇█]{10}/);
  assert.match(frame, /1 Music 0\s+2 Speech 0\s+0 not sure 0/);
  assert.doesNotMatch(frame, /\u001b\[/, 'no colour codes when colour is off');
  assert.match(frame, /audio: none/);
  stdin.write('2');
  await waitForFrame(lastFrame, /2 Speech 1/);
  assert.equal(collection.store.records.length, 1);
  assert.equal(collection.store.records[0].label, 'Speech');
  stdin.write('?');
  await waitForFrame(lastFrame, /hark — keys/);
});

test('a label key is answered by one frame showing it saved and the next clip with its picture, not first a frame saying saving', async (t) => {
  const collection = await collectionWith(['Music', 'Speech']);
  const { lastFrame, frames, stdin, ready } = await renderLabeling(t, collection, 3);
  await waitForFrame(lastFrame, /[▁▂▃▄▅▆▇█]{10}/);
  // the next clip is decoded ahead, for the screen to draw ahead
  const view = ready.controller.getView;
  await waitUntil(() => view().next && view().next?.window === view().session.queue[0]?.window, 'the next clip decoded ahead');
  const before = frames.length;
  stdin.write('1');
  await waitForFrame(lastFrame, /session 1 /);
  const answer = frames.slice(before);
  assert.deepEqual(answer.filter((f) => /saving/.test(f)), [], 'a frame said saving for a save that was already done');
  assert.match(answer[0], /session 1 /);
  assert.match(answer[0], /1 Music 1/);
  assert.match(answer[0], /[▁▂▃▄▅▆▇█]{10}/, 'the next clip came without its picture');
  assert.doesNotMatch(answer[0], /loading clips|decoding/);
});

/** The App on a store with no labels yet, as `hark label` starts it. */
async function renderSetup(t: TestContext) {
  const collection = await collectionWith();
  const player = await createPlayer('none');
  t.after(() => collection.store.close());
  const setup = async (labels: string[]) => {
    await collection.store.setConfig({ labels: labelDefs(labels) });
    const ready = startSession(collection, player, { seed: 1, onExit: () => {} });
    t.after(() => ready.close());
    return ready;
  };
  const app = render(<App storePath={collection.store.dir} color="truecolor" setup={setup} />);
  t.after(app.unmount);
  await waitForFrame(app.lastFrame, /Choose a label set/);
  return { ...app, collection };
}

test('a new store asks for its labels: picking the first preset saves it and starts labeling', async (t) => {
  const { lastFrame, stdin, collection } = await renderSetup(t);
  stdin.write('\r');
  const preset = LABEL_PRESETS[0].labels;
  await waitForFrame(lastFrame, new RegExp(`1 ${preset[0]} 0`));
  assert.deepEqual(collection.store.config.labels.map((l) => l.name), preset);
});

test('typing one\'s own labels in the setup screen', async (t) => {
  const { lastFrame, stdin } = await renderSetup(t);
  await waitForFrame(lastFrame, /My own labels/);
  // the list takes an item's number as well as arrows and enter
  stdin.write(String(LABEL_PRESETS.length + 1));
  await waitForFrame(lastFrame, /Type your labels/);
  stdin.write('Applause, Host ,Applause');
  await waitForFrame(lastFrame, /Host ,Applause/);
  stdin.write(',Music');
  stdin.write('\r'); // before the screen has redrawn: enter still takes the whole text
  await waitForFrame(lastFrame, /1 Applause 0\s+2 Host 0\s+3 Music 0/);
});

test('recordings deleted while labeling are reported on screen and labeling goes on', async (t) => {
  const collection = await collectionWith(['Music', 'Speech']);
  const { lastFrame, stdin } = await renderLabeling(t, collection, 4);
  await waitForFrame(lastFrame, /[▁▂▃▄▅▆▇█]{10}/);
  rmSync(collection.files[0].abs);
  let saved = 0;
  while (!/cannot play/.test(lastFrame() ?? '')) {
    stdin.write('1');
    await waitForFrame(lastFrame, new RegExp(`session ${++saved} `));
    await waitForFrame(lastFrame, /cannot play|[▁▂▃▄▅▆▇█]{10}/); // the next clip either plays or says why not
    assert.ok(saved < 8, 'a clip of the deleted file should fail to play once the prefetched ones are used up');
  }
  assert.match(lastFrame()!, /cannot play demo-01\.wav: .*No such file/);
  stdin.write('s');
  await waitForFrame(lastFrame, new RegExp(`session ${saved + 1} `));
});

test('a applies the model in the background and r queues one clip of each range it found', async (t) => {
  const { dir, truth } = demoCollection({ files: 2, seconds: 30, seed: 2, weights: { Tone: 2 } });
  const collection = await openCollection({ media: dir, store: join(tempDir(), 'store') });
  await collection.store.setConfig({ labels: labelDefs(['Tone', 'Noise', 'Chirp', 'Music', 'Silence']), target: 'Tone' });
  await collection.store.addMany(
    truth.filter((r) => r.file === 'demo-01.wav').map((r) => ({ file: r.file, start: Math.floor((r.start + r.end) / 2), duration: 1, label: r.label, kind: 'label' as const, annotator: 't', how: 'random' })),
  );
  const { lastFrame, stdin } = await renderLabeling(t, collection, 1);
  await waitForFrame(lastFrame, /session 0 /);
  stdin.write('a');
  // apply starts once the labeler's features are extracted, and reads them from the cache
  const applied = await waitForFrame(lastFrame, /apply: Tone in (\d+) ranges/, 100_000);
  assert.ok(Number(/apply: Tone in (\d+) ranges/.exec(applied)![1]) > 0);
  stdin.write('r');
  await waitForFrame(lastFrame, /next: one clip from each of \d+ ranges/);
  stdin.write('2');
  await waitForFrame(lastFrame, /review Tone range 1\//);
});

test('t opens the target picker at the current target; arrows and enter typed at once choose the label they moved to, kept in the store', async (t) => {
  const collection = await collectionWith(['Music', 'Speech', 'Tone']);
  await collection.store.setConfig({ target: 'Music' });
  const { lastFrame, stdin } = await renderLabeling(t, collection, 1);
  await waitForFrame(lastFrame, /target Music/);
  stdin.write('t');
  await waitForFrame(lastFrame, /❯ Music/);
  // typed faster than the list redraws: each arrow moves on from the last, and enter takes where they ended
  stdin.write('\u001b[B');
  stdin.write('\u001b[B');
  stdin.write('\r');
  await waitForFrame(lastFrame, /target Tone/);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(collection.store.config.target, 'Tone');
});

test('the help screen fits the terminal and scrolls to the keys below, and a label key pressed there labels nothing', async (t) => {
  const names = Array.from({ length: 12 }, (_, i) => `Label ${i + 1}`);
  const collection = await collectionWith(names);
  const { lastFrame, stdin } = await renderLabeling(t, collection, 2);
  await waitForFrame(lastFrame, /session 0 /);
  stdin.write('?');
  const first = await waitForFrame(lastFrame, /hark — keys/);
  assert.ok(first.split('\n').length < 24, `the help fits 24 rows:\n${first}`);
  assert.match(first, /lines 1–21 of 27/);
  assert.doesNotMatch(first, /review what apply found/);
  stdin.write('1');
  for (let i = 0; i < 10; i++) stdin.write('\u001b[B');
  const scrolled = await waitForFrame(lastFrame, /review what apply found/);
  assert.match(scrolled, /lines 7–27 of 27/);
  stdin.write('\u001b');
  await waitForFrame(lastFrame, /session 0 /);
  assert.equal(collection.store.records.length, 0, 'the 1 pressed on the help screen labeled nothing');
});

test('Esc in the own-labels box goes back to the label sets, and what is typed there is not lost to a slow redraw', async (t) => {
  const { lastFrame, stdin } = await renderSetup(t);
  stdin.write(String(LABEL_PRESETS.length + 1));
  stdin.write('Host');
  await waitForFrame(lastFrame, /^Host/m);
  stdin.write('\u001b');
  await waitForFrame(lastFrame, /Choose a label set/);
  stdin.write(String(LABEL_PRESETS.length + 1));
  await waitForFrame(lastFrame, /Type your labels/);
  stdin.write('Guest, Host');
  stdin.write('\r');
  await waitForFrame(lastFrame, /1 Guest 0\s+2 Host 0/);
});
