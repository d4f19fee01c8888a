import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDemoCollection } from '../../src/audio/demo-collection.js';
import { collectionVectors } from '../../src/audio/features/collection-vectors.js';
import { readExamples, standardisedRows, ExampleError } from '../../src/collection/examples.js';
import { openCollection } from '../../src/collection/open-collection.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { UserError } from '../../src/domain/user-error.js';
import { squaredDistance } from '../../src/ml/distance.js';
import { EXAMPLE_NEIGHBORS, LearningSession } from '../../src/ml/learning-session.js';
import { parseStrategy } from '../../src/ml/strategies.js';
import { windowTruth } from '../../src/ml/window-truth.js';
import { featureCacheDir } from '../../src/store/feature-cache.js';
import { tempDir } from '../helpers/fixtures.js';

// Tone is rare here (about 7% of the windows); a tone-only recording outside the collection is the outside example
const root = tempDir();
const truthRows = writeDemoCollection(join(root, 'media'), { files: 4, seconds: 60, seed: 11 });
writeDemoCollection(join(root, 'elsewhere'), { files: 1, seconds: 3, seed: 2, weights: { Tone: 1, Noise: 0, Chirp: 0, Music: 0, Silence: 0 } });
const collection = await openCollection({ media: join(root, 'media'), store: join(root, 'store') });
after(() => collection.store.close());
const { files, grid } = collection;
const { vectors, dims, standard } = await collectionVectors(files, grid, { cacheDir: featureCacheDir(collection.store.dir), workers: 1 });
const truth = windowTruth(truthRows, files, grid);
const isTone = (w: number) => truth.labels[truth.main[w]] === 'Tone';

function session(): LearningSession {
  const s = new LearningSession({ offsets: grid.offsets, clip: grid.clip, strategy: parseStrategy('mixed'), target: 'Tone', rand: seededRandom(3) });
  s.attachVectors(vectors, dims);
  s.buildStep();
  return s;
}

/** The clips the model's arms queue first (random draws left out), over `count` clips. */
function firstModelChoices(s: LearningSession, count: number) {
  const queued = new Set<number>();
  const out = [];
  while (queued.size < count) {
    const [c] = s.next(1, queued);
    queued.add(c.window);
    if (c.how !== 'random') out.push(c);
  }
  return out;
}

const distance = (a: number, b: number) => squaredDistance(vectors, dims, a, b);


test('an example moment of the collection puts the clips most like it first, as "similar to example", and counts as a Tone label', async () => {
  const tone = truthRows.find((r) => r.label === 'Tone' && r.end - r.start >= 3)!;
  const moment = `${tone.file}@0:${String(Math.floor(tone.start + 1)).padStart(2, '0')}.5`;
  const { windows, outside } = await readExamples(collection, [moment]);
  assert.equal(outside.length, 0);
  assert.deepEqual(windows, [grid.offsets[files.findIndex((f) => f.path === tone.file)] + Math.floor(tone.start + 1)]);

  const s = session();
  s.addExample(windows[0]);
  const first = firstModelChoices(s, 14).slice(0, EXAMPLE_NEIGHBORS);
  assert.equal(first.length, EXAMPLE_NEIGHBORS);
  assert.ok(first.every((c) => c.how === 'similar' && c.reason === 'similar to example'), JSON.stringify(first));
  const distances = first.map((c) => distance(c.window, windows[0]));
  assert.deepEqual(distances, [...distances].sort((a, b) => a - b), 'nearest first');
  assert.ok(isTone(first[0].window) && isTone(first[1].window), `the example's nearest neighbours are tones: ${JSON.stringify(first)}`);
  assert.equal(s.estimate(0.9)?.found, 1, 'the example is a labeled Tone');
  assert.equal(s.estimate(0.9)?.randomLabels, 0, 'and never a random draw');
});

test('an example recording from outside the collection puts the clips most like it first, and is never queued or counted as found', async () => {
  const { windows, outside } = await readExamples(collection, [join(root, 'elsewhere', 'demo-01.wav')]);
  assert.deepEqual(windows, []);
  assert.equal(outside.length, 1);
  assert.equal(outside[0].length, 3 * dims, 'one vector per whole window of the 3 s recording');

  const s = session();
  s.addOutsideExample(standardisedRows(outside[0], standard));
  s.buildStep();
  const choices = firstModelChoices(s, 20);
  const first = choices.slice(0, EXAMPLE_NEIGHBORS);
  assert.ok(first.every((c) => c.how === 'similar' && c.reason === 'similar to example' && c.window < grid.count), JSON.stringify(first));
  assert.ok(['likely', 'uncertain'].includes(choices[EXAMPLE_NEIGHBORS].how), 'then the model ranks: the recording counts as a Tone, nothing left to explore for');
  assert.ok(isTone(first[0].window) && isTone(first[1].window), `the recording's nearest neighbours are tones: ${JSON.stringify(first)}`);
  assert.equal(s.estimate(0.9)?.found, 0, 'the outside recording is no clip of the collection');
});

test('several examples take turns at the front of the queue', async () => {
  const tones = truthRows.filter((r) => r.label === 'Tone' && r.end - r.start >= 2);
  const { windows } = await readExamples(collection, [`${tones[0].file}@${tones[0].start + 1}`, `${tones[1].file}@${tones[1].start + 1}`]);
  const s = session();
  for (const w of windows) s.addExample(w);
  const first = firstModelChoices(s, 30).slice(0, 2 * EXAMPLE_NEIGHBORS);
  assert.equal(first.filter((c) => c.reason === 'similar to example').length, 2 * EXAMPLE_NEIGHBORS);
});

test('a bad --example is one line saying what is wrong, and exits 1', async () => {
  writeFileSync(join(root, 'notes.wav'), 'not audio at all\n');
  const cases: [string, RegExp][] = [
    [join(root, 'missing.wav'), /no such file/],
    [`${files[0].path}@2:00`, /is only 0:01:00\.0 long/],
    [`${files[0].path}@0:75`, /not a time/],
    ['nowhere.wav@0:10', /no recording nowhere\.wav/],
    [join(root, 'notes.wav'), /not audio hark can decode/],
  ];
  for (const [spec, message] of cases) {
    await assert.rejects(readExamples(collection, [spec]), (err: Error) => {
      assert.ok(err instanceof ExampleError && err instanceof UserError, `${spec}: ${err.stack}`);
      assert.equal((err as UserError).exitCode, 1);
      assert.match(err.message, message);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  }
});
