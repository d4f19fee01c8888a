import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runApply } from '../../src/commands/apply.js';
import { runExtract } from '../../src/commands/extract.js';
import { shardPartDir } from '../../src/collection/apply-shards.js';
import { savedRecordings } from '../../src/collection/saved-model.js';
import { shardOf } from '../../src/domain/shard.js';
import type { ApplySummary } from '../../src/store/apply-output.js';
import { captureIO } from '../helpers/capture-io.js';
import { exitCode } from '../helpers/run-hark.js';
import { labeledStore } from '../helpers/labeled-store.js';
import { tempDir } from '../helpers/fixtures.js';
import { assertSameOutputs } from '../helpers/same-outputs.js';

const SHARDS = 3;
const FORMATS = 'csv,audacity,raven,jsonl';
const dir = tempDir('hark-shards-');
let media: string;
let store: string;

async function ok(run: Promise<number>, text: { err: string }): Promise<void> {
  assert.equal(await run, 0, text.err);
}

async function applyShards(): Promise<void> {
  for (let index = 0; index < SHARDS; index++) {
    const { io, text } = captureIO();
    await ok(runApply({ store, shard: `${index}/${SHARDS}` }, io), text);
  }
}

async function merge(out: string): Promise<{ code: number; out: string; err: string }> {
  const { io, text } = captureIO();
  const code = await exitCode(runApply({ store, merge: true, out, format: FORMATS, json: true }, io), io);
  return { code, ...text };
}

before(async () => {
  ({ media, store } = await labeledStore(dir));
  for (let index = 0; index < SHARDS; index++) {
    const { io, text } = captureIO();
    await ok(runExtract({ media, store, shard: `${index}/${SHARDS}`, workers: 1 }, io), text);
  }
  const whole = captureIO();
  await ok(runApply({ store, out: join(dir, 'whole'), format: FORMATS }, whole.io), whole.text);
  const fit = captureIO();
  await ok(runApply({ store, fit: true }, fit.io), fit.text);
});

test('merged shards give byte for byte the ranges, exports and summary of one apply over the whole collection', async () => {
  await applyShards();
  const merged = await merge(join(dir, 'merged'));
  assert.equal(merged.code, 0, merged.err);
  assertSameOutputs(join(dir, 'whole'), join(dir, 'merged'));
  const summary = JSON.parse(merged.out) as ApplySummary;
  assert.ok(Object.values(summary.labels).some((l) => l.estimate.recall !== null), 'the estimates come from the random labels');
  assert.ok(summary.labels.Tone.ranges > 0);
});

test('merge refuses, naming the shard, while a shard is missing, and works again once it is rerun', async () => {
  await applyShards();
  rmSync(shardPartDir(store, { index: 1, count: SHARDS }), { recursive: true });
  const refused = await merge(join(dir, 'refused'));
  assert.equal(refused.code, 1);
  const message = refused.err.split('\n').filter((line) => !line.startsWith('scanning:'));
  assert.match(message[0], /^hark: Cannot merge: shard 1\/3 missing or unfinished; rerun each alone \(hark apply --store .* --shard 1\/3\)/);
  assert.deepEqual(message.slice(1), [''], 'one line');
  assert.equal(existsSync(join(dir, 'refused', 'ranges.csv')), false, 'nothing written');
  const { io, text } = captureIO();
  await ok(runApply({ store, shard: `1/${SHARDS}` }, io), text);
  assert.equal((await merge(join(dir, 'rerun'))).code, 0);
  assertSameOutputs(join(dir, 'whole'), join(dir, 'rerun'));
});

test('a shard killed while it rewrites its part is not merged as complete', async () => {
  await applyShards();
  const done = join(shardPartDir(store, { index: 2, count: SHARDS }), 'done');
  let caught = false;
  // the kill must land after the rerun took the old part's marker away and before it wrote the new one
  for (let attempt = 0; attempt < 8 && !caught; attempt++) {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/hark.ts'), 'apply', '--store', store, '--shard', `2/${SHARDS}`], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const deadline = Date.now() + 60_000;
    while (existsSync(done) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setImmediate(r));
    if (!existsSync(done) && child.exitCode === null) {
      child.kill('SIGKILL');
      caught = true;
    }
    await exited;
    assert.ok(Date.now() < deadline, 'the shard run started within a minute');
  }
  assert.ok(caught, 'a kill landed inside the shard run in one of 8 attempts');
  const merged = await merge(join(dir, 'after-kill'));
  if (existsSync(done)) {
    // the kill came after the marker was written: then the part is whole
    assert.equal(merged.code, 0, merged.err);
    assertSameOutputs(join(dir, 'whole'), join(dir, 'after-kill'));
  } else {
    assert.equal(merged.code, 1);
    assert.match(merged.err, /shard 2\/3 missing or unfinished/);
  }
});

test('a shard probes only its own recordings: one unreadable elsewhere, with the probe cache gone, does not stop it', async () => {
  const listed = savedRecordings(store)!;
  const mine = new Set(shardOf(listed.map((r) => r.duration), { index: 0, count: SHARDS }).map((f) => listed[f].path));
  const elsewhere = join(media, listed.find((r) => !mine.has(r.path))!.path);
  const probes = join(store, 'probes.json');
  const [audio, cached, mtime] = [readFileSync(elsewhere), readFileSync(probes), statSync(elsewhere).mtimeMs / 1000];
  try {
    // as a damaged copy of the same length and time: what only probing it would find
    writeFileSync(elsewhere, Buffer.alloc(audio.length));
    utimesSync(elsewhere, mtime, mtime);
    rmSync(probes);
    const { io, text } = captureIO();
    await ok(runApply({ store, shard: `0/${SHARDS}` }, io), text);
    const probed = Object.keys(JSON.parse(readFileSync(probes, 'utf8')) as object).map((key) => key.split('|')[0]);
    assert.deepEqual(probed.filter((path) => !mine.has(path)), [], 'recordings of other shards were probed');
  } finally {
    writeFileSync(elsewhere, audio);
    utimesSync(elsewhere, mtime, mtime);
    writeFileSync(probes, cached);
  }
});

test('fitting again on the same labels keeps the model, and merging without a saved model says to fit first', async () => {
  await applyShards();
  const model = join(store, 'model', 'model.json');
  const before = readFileSync(model, 'utf8');
  const { io, text } = captureIO();
  await ok(runApply({ store, fit: true, label: ['Tone'] }, io), text);
  assert.equal(readFileSync(model, 'utf8'), before, 'the same labels fit the same model');
  rmSync(model);
  const refused = await merge(join(dir, 'no-model'));
  assert.equal(refused.code, 1);
  assert.match(refused.err, /No model is saved .* --fit first/);
});
