import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { startSession } from '../../src/labeler/start-session.js';
import { openCollection } from '../../src/collection/open-collection.js';
import { createPlayer } from '../../src/audio/player/index.js';
import { labelDefs } from '../../src/commands/label.js';
import { readStore } from '../../src/store/label-store.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { waitForFrame } from '../helpers/wait-for-frame.js';

async function renderLabeling(t: TestContext) {
  const { dir } = demoCollection({ files: 1, seconds: 10 });
  const collection = await openCollection({ media: dir, store: join(tempDir(), 'store') });
  await collection.store.setConfig({ labels: labelDefs(['Music', 'Speech', 'Applause']) });
  t.after(() => collection.store.close());
  const ready = startSession(collection, await createPlayer('none'), { seed: 4, onExit: () => {} });
  t.after(() => ready.close());
  const app = render(<App storePath={collection.store.dir} color={false} ready={ready} />);
  t.after(app.unmount);
  return { ...app, collection };
}

test('+ and a label key add a second label to the clip on screen; the next label key saves the clip with both, and undo takes both back', async (t) => {
  const { lastFrame, stdin, collection } = await renderLabeling(t);
  const first = await waitForFrame(lastFrame, /demo-01\.wav \S+ \+1\.0s · random/);
  const clipLine = (frame: string) => frame.split('\n')[0];
  stdin.write('+');
  await waitForFrame(lastFrame, /this clip: \? \(the label key to add\)/);
  stdin.write('2');
  const added = await waitForFrame(lastFrame, /this clip: Speech \(\+ adds another, a label key alone finishes\)/);
  assert.equal(clipLine(added), clipLine(first), 'the clip stays on screen');
  assert.equal(collection.store.records.length, 0, 'nothing is saved before the clip is finished');
  stdin.write('+');
  await waitForFrame(lastFrame, /this clip: Speech \+ \?/);
  stdin.write('\u001b');
  await waitForFrame(lastFrame, /this clip: Speech \(/);
  stdin.write('1');
  const saved = await waitForFrame(lastFrame, /1 Music 1\s+2 Speech 1\s+3 Applause 0/);
  assert.doesNotMatch(saved, /this clip:/, 'the next clip starts with no labels');
  assert.equal(readStore(collection.store.dir).records[0].labels?.join(), 'Speech,Music', 'one decision with both labels, on disk');
  stdin.write('u');
  await waitForFrame(lastFrame, /undone: Speech \+ Music/);
  await waitForFrame(lastFrame, /1 Music 0\s+2 Speech 0/);
  assert.equal(readStore(collection.store.dir).records.length, 0);
});
