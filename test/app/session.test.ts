import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSession, labelRate, reduce, type Clip, type Effect, type SessionState } from '../../src/app/session.js';
import { NOT_SURE, SKIPPED } from '../../src/domain/labels.js';

const labels = [
  { name: 'Music', key: '1' },
  { name: 'Speech', key: '2' },
];
const clip = (window: number): Clip => ({ window, file: 'a.wav', start: window, duration: 1, how: 'random', reason: 'random' });
const types = (effects: Effect[]) => effects.map((e) => e.type);

function withClips(n: number): SessionState {
  const [state] = reduce(initialSession(labels, {}, 0), { type: 'clips', clips: Array.from({ length: n }, (_, i) => clip(i)) });
  return state;
}

test('the first clip arriving is shown and played at once', () => {
  const [state, effects] = reduce(initialSession(labels, {}, 0), { type: 'clips', clips: [clip(7), clip(8)] });
  assert.equal(state.current?.window, 7);
  assert.deepEqual(state.queue.map((c) => c.window), [8]);
  assert.deepEqual(types(effects), ['play', 'refill']);
});

test('a label key saves first and only moves on once the save is acknowledged', () => {
  const s0 = withClips(5);
  const [s1, e1] = reduce(s0, { type: 'command', command: { type: 'label', index: 1 } });
  assert.equal(s1.busy, true);
  assert.equal(s1.current?.window, 0, 'the clip stays on screen until saved');
  assert.deepEqual(e1.find((e) => e.type === 'save'), { type: 'save', clip: clip(0), decision: { label: 'Speech', kind: 'label' } });
  const [s2, e2] = reduce(s1, { type: 'command', command: { type: 'label', index: 0 } });
  assert.deepEqual(e2, [], 'a second key while saving is not saved to the same clip');
  assert.equal(s2.current?.window, 0);
  const [s3, e3] = reduce(s1, { type: 'saved', id: 'r1', clip: clip(0), decision: { label: 'Speech', kind: 'label' } });
  assert.equal(s3.current?.window, 1);
  assert.equal(s3.counts.Speech, 1);
  assert.equal(s3.sessionCount, 1);
  assert.equal(types(e3)[0], 'play');
});

test('a failed save keeps the clip on screen and says so', () => {
  const [s1] = reduce(withClips(3), { type: 'command', command: { type: 'label', index: 0 } });
  const [s2] = reduce(s1, { type: 'failed', text: 'NOT SAVED: disk full' });
  assert.equal(s2.current?.window, 0);
  assert.equal(s2.busy, false);
  assert.equal(s2.message?.level, 'error');
  assert.equal(s2.counts.Music, undefined);
});

test('undo deletes the last decision and brings its clip back, keeping the skipped-over clip queued', () => {
  let [s] = reduce(withClips(4), { type: 'command', command: { type: 'skip' } });
  [s] = reduce(s, { type: 'saved', id: 'r1', clip: clip(0), decision: { label: SKIPPED, kind: 'skip' } });
  assert.equal(s.current?.window, 1);
  const [s1, e1] = reduce(s, { type: 'command', command: { type: 'undo' } });
  assert.deepEqual(e1.find((e) => e.type === 'delete'), { type: 'delete', id: 'r1', clip: clip(0) });
  const [s2, e2] = reduce(s1, { type: 'deleted', clip: clip(0) });
  assert.equal(s2.current?.window, 0);
  assert.deepEqual(s2.queue.map((c) => c.window).slice(0, 1), [1]);
  assert.equal(s2.history.length, 0);
  assert.equal(s2.counts[SKIPPED], 0);
  assert.deepEqual(types(e2), ['play']);
});

test('undo with nothing done says so instead of failing', () => {
  const [s] = reduce(withClips(2), { type: 'command', command: { type: 'undo' } });
  assert.match(s.message?.text ?? '', /nothing to undo/);
});

test('not sure is saved as its own kind', () => {
  const [, effects] = reduce(withClips(2), { type: 'command', command: { type: 'unsure' } });
  assert.deepEqual(effects.find((e) => e.type === 'save'), { type: 'save', clip: clip(0), decision: { label: NOT_SURE, kind: 'unsure' } });
});

test('speed steps between 0.5x and 2x and replays at the new speed', () => {
  let s = withClips(1);
  for (let i = 0; i < 10; i++) [s] = reduce(s, { type: 'command', command: { type: 'faster' } });
  assert.equal(s.tempo, 2);
  let effects: Effect[] = [];
  for (let i = 0; i < 10; i++) [s, effects] = reduce(s, { type: 'command', command: { type: 'slower' } });
  assert.equal(s.tempo, 0.5);
  assert.deepEqual(effects, [{ type: 'play', clip: clip(0), withContext: false, tempo: 0.5 }]);
});

test('replay and context play the clip on screen', () => {
  const s = withClips(1);
  assert.deepEqual(reduce(s, { type: 'command', command: { type: 'replay' } })[1], [{ type: 'play', clip: clip(0), withContext: false, tempo: 1 }]);
  assert.deepEqual(reduce(s, { type: 'command', command: { type: 'context' } })[1], [{ type: 'play', clip: clip(0), withContext: true, tempo: 1 }]);
});

test('quit stops playback and exits', () => {
  const [s, effects] = reduce(withClips(1), { type: 'command', command: { type: 'quit' } });
  assert.equal(s.quitting, true);
  assert.deepEqual(types(effects), ['stop', 'exit']);
});

test('the labeling rate is labels per minute, not inflated in the first seconds', () => {
  const s = { ...withClips(1), sessionCount: 10, startedAt: 0 };
  assert.equal(labelRate(s, 5_000), 10);
  assert.equal(labelRate(s, 120_000), 5);
});

test('apply and review need a target, and then run for it', () => {
  const [s1, e1] = reduce(withClips(1), { type: 'command', command: { type: 'apply' } });
  assert.match(s1.message?.text ?? '', /choose a target first/);
  assert.deepEqual(e1, []);
  const targeted = { ...withClips(1), target: 'Music' };
  assert.deepEqual(reduce(targeted, { type: 'command', command: { type: 'apply' } })[1], [{ type: 'apply', target: 'Music' }]);
  assert.deepEqual(reduce(targeted, { type: 'command', command: { type: 'review' } })[1], [{ type: 'review', target: 'Music' }]);
});

test('clips another annotator decided leave the queue, the clip on screen stays, and a short queue asks for more', () => {
  const state = withClips(5); // clip 0 on screen, 1-4 queued
  const [next, effects] = reduce(state, { type: 'decided-elsewhere', windows: [0, 2, 3], labels: ['Music', 'Music', 'Speech'] });
  assert.deepEqual(next.counts, { Music: 2, Speech: 1 }, 'their labels count in the totals');
  assert.equal(next.current?.window, 0);
  assert.deepEqual(next.queue.map((c) => c.window), [1, 4]);
  assert.deepEqual(effects, [{ type: 'refill', exclude: [0, 1, 4] }]);
});

test('label keys typed while a save is in flight are each applied, in order, to the clips that follow', () => {
  let [s, effects] = reduce(withClips(5), { type: 'command', command: { type: 'label', index: 0 } });
  [s] = reduce(s, { type: 'command', command: { type: 'label', index: 1 } });
  [s] = reduce(s, { type: 'command', command: { type: 'skip' } });
  assert.equal(s.pending.length, 2, 'the keys typed ahead wait');
  const saves: Effect[] = effects.filter((e) => e.type === 'save');
  for (let i = 0; i < 3; i++) {
    const save = saves[i] as Extract<Effect, { type: 'save' }>;
    [s, effects] = reduce(s, { type: 'saved', id: `r${i}`, clip: save.clip, decision: save.decision });
    saves.push(...effects.filter((e) => e.type === 'save'));
  }
  assert.deepEqual(
    saves.map((e) => e.type === 'save' && [e.clip.window, e.decision.label]),
    [[0, 'Music'], [1, 'Speech'], [2, SKIPPED]],
  );
  assert.equal(s.sessionCount, 3, 'each key is acknowledged');
  assert.equal(s.current?.window, 3);
  assert.equal(s.busy, false);
  assert.deepEqual(s.pending, []);
});

test('an undo typed while a label is saving undoes that label once it is saved', () => {
  let [s] = reduce(withClips(3), { type: 'command', command: { type: 'label', index: 0 } });
  [s] = reduce(s, { type: 'command', command: { type: 'undo' } });
  const [s1, e1] = reduce(s, { type: 'saved', id: 'r1', clip: clip(0), decision: { label: 'Music', kind: 'label' } });
  assert.deepEqual(e1.find((e) => e.type === 'delete'), { type: 'delete', id: 'r1', clip: clip(0) });
  assert.equal(s1.busy, true);
});

test('keys typed ahead of a save that fails are not applied to the wrong clip, and the screen says so', () => {
  let [s] = reduce(withClips(3), { type: 'command', command: { type: 'label', index: 0 } });
  [s] = reduce(s, { type: 'command', command: { type: 'label', index: 1 } });
  const [s1, e1] = reduce(s, { type: 'failed', text: 'NOT SAVED: disk full' });
  assert.deepEqual(e1, []);
  assert.deepEqual(s1.pending, []);
  assert.match(s1.message?.text ?? '', /disk full \(1 key\(s\) typed ahead not applied\)/);
});

test('keys typed ahead while no clip is on screen label the clips once they come', () => {
  let [s] = reduce(withClips(1), { type: 'command', command: { type: 'label', index: 0 } });
  [s] = reduce(s, { type: 'command', command: { type: 'label', index: 1 } });
  [s] = reduce(s, { type: 'saved', id: 'r1', clip: clip(0), decision: { label: 'Music', kind: 'label' } });
  assert.equal(s.current, undefined, 'the queue ran dry');
  assert.equal(s.pending.length, 1);
  const [s1, e1] = reduce(s, { type: 'clips', clips: [clip(4), clip(5)] });
  assert.deepEqual(e1.find((e) => e.type === 'save'), { type: 'save', clip: clip(4), decision: { label: 'Speech', kind: 'label' } });
  assert.equal(s1.busy, true);
});

test('label keys do nothing while the help screen covers the clip; quit still quits', () => {
  const [open] = reduce(withClips(2), { type: 'command', command: { type: 'help' } });
  for (const command of [{ type: 'label', index: 0 }, { type: 'skip' }, { type: 'undo' }, { type: 'replay' }] as const) {
    const [s, effects] = reduce(open, { type: 'command', command });
    assert.deepEqual(effects, [], command.type);
    assert.equal(s, open);
  }
  assert.equal(reduce(open, { type: 'command', command: { type: 'quit' } })[0].quitting, true);
  assert.equal(reduce(open, { type: 'command', command: { type: 'help' } })[0].showHelp, false);
});
