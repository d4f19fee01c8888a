import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeDemoCollection } from '../../src/audio/demo-collection.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { LabelStore } from '../../src/store/label-store.js';
import { latestRun } from '../../src/store/apply-output.js';
import { tempDir } from '../helpers/fixtures.js';

const HARK = resolve('bin/hark.js');
const KILLS = Number(process.env.HARK_BATCH_KILLS ?? 6);

function apply(store: string): { status: number | null; ranges: string } {
  const r = spawnSync('node', [HARK, 'apply', '--store', store, '--workers', '1'], { encoding: 'utf8' });
  return { status: r.status, ranges: r.status === 0 ? readFileSync(join(latestRun(store)!, 'ranges.csv'), 'utf8') : r.stderr };
}

function killAfter(store: string, ms: number): Promise<void> {
  return new Promise((done) => {
    const child = spawn('node', [HARK, 'apply', '--store', store, '--workers', '1'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

test(`apply killed -9 at ${KILLS} random moments resumes and ends with the same ranges as an uninterrupted run`, async () => {
  const root = tempDir();
  const media = join(root, 'media');
  const truth = writeDemoCollection(media, { files: 4, seconds: 40, seed: 3 });
  const store = join(root, 'store');
  const labels = await LabelStore.open(store);
  await labels.setConfig({ mediaRoot: media });
  await labels.addMany(
    truth.map((r) => ({ file: r.file, start: Math.floor((r.start + r.end) / 2), duration: 1, label: r.label, kind: 'label' as const, annotator: 't', how: 'oracle' })),
  );
  labels.close();
  const pristine = join(root, 'pristine');
  cpSync(store, pristine, { recursive: true });
  const reference = apply(pristine);
  assert.equal(reference.status, 0, reference.ranges);

  const rand = seededRandom(5);
  for (let k = 0; k < KILLS; k++) await killAfter(store, 150 + rand() * 900);
  const resumed = apply(store);
  assert.equal(resumed.status, 0, resumed.ranges);
  assert.equal(resumed.ranges, reference.ranges, 'no half-written feature file was taken as complete');
});
