import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSession, reduce, type Clip, type Effect, type Event, type SessionState } from '../../src/app/session.js';
import type { Command } from '../../src/app/commands.js';

const labels = [
  { name: 'Host', key: '1' },
  { name: 'Music', key: '2' },
  { name: 'Applause', key: '3' },
];
const clip = (window: number): Clip => ({ window, file: 'a.wav', start: window, duration: 1, how: 'random', reason: 'random' });

const key = (command: Command): Event => ({ type: 'command', command });
const plus = key({ type: 'also' });
const esc = key({ type: 'cancel' });
const undo = key({ type: 'undo' });
const label = (index: number) => key({ type: 'label', index });

function run(state: SessionState, ...events: Event[]): [SessionState, Effect[]] {
  let effects: Effect[] = [];
  for (const event of events) {
    let more: Effect[];
    [state, more] = reduce(state, event);
    effects = [...effects, ...more];
  }
  return [state, effects];
}

const start = () => run(initialSession(labels, {}, 0), { type: 'clips', clips: [clip(0), clip(1), clip(2)] })[0];
const saves = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'save' ? [e.decision] : []));

test('+ then a label key adds that label and keeps the clip; a label key alone then saves the clip with both', () => {
  const [s1, e1] = run(start(), plus, label(1));
  assert.deepEqual(saves(e1), [], 'nothing is saved while the clip is still being labeled');
  assert.equal(s1.current?.window, 0, 'the clip stays');
  assert.deepEqual(s1.moreLabels, ['Music']);
  const [s2, e2] = run(s1, label(0));
  assert.deepEqual(saves(e2), [{ label: 'Music', labels: ['Music', 'Host'], kind: 'label' }]);
  const [s3] = run(s2, { type: 'saved', id: 'r1', clip: clip(0), decision: saves(e2)[0] });
  assert.equal(s3.current?.window, 1, 'then the next clip');
  assert.deepEqual(s3.moreLabels, [], 'the next clip starts with no labels');
  assert.deepEqual([s3.counts.Host, s3.counts.Music], [1, 1], 'both labels are counted');
  const [, e4] = run(s3, label(2));
  assert.deepEqual(saves(e4), [{ label: 'Applause', kind: 'label' }], 'one label key alone still labels the clip');
});

test('Esc cancels a waiting +: the next label key finishes the clip with the labels so far', () => {
  const [s, effects] = run(start(), plus, label(1), plus, esc, label(0));
  assert.deepEqual(saves(effects), [{ label: 'Music', labels: ['Music', 'Host'], kind: 'label' }]);
  assert.equal(s.adding, false);
});

test('undo before the clip is finished takes back the waiting + and then the last label added, saving nothing', () => {
  const [s1] = run(start(), plus, label(1), plus, label(2), plus);
  const [s2, e2] = run(s1, undo);
  assert.equal(s2.adding, false, 'the + goes first');
  assert.deepEqual(s2.moreLabels, ['Music', 'Applause']);
  const [s3, e3] = run(s2, undo);
  assert.deepEqual(s3.moreLabels, ['Music'], 'then the newest label');
  assert.deepEqual([...e2, ...e3].filter((e) => e.type === 'delete'), [], 'nothing saved is deleted');
  const [, e4] = run(s3, label(0));
  assert.deepEqual(saves(e4), [{ label: 'Music', labels: ['Music', 'Host'], kind: 'label' }]);
});

test('undo after a clip with two labels brings it back and uncounts both', () => {
  const [s1, e1] = run(start(), plus, label(1), label(0));
  const [s2] = run(s1, { type: 'saved', id: 'r1', clip: clip(0), decision: saves(e1)[0] });
  const [s3, e3] = run(s2, undo);
  assert.deepEqual(e3.find((e) => e.type === 'delete'), { type: 'delete', id: 'r1', clip: clip(0) });
  const [s4] = run(s3, { type: 'deleted', clip: clip(0) });
  assert.equal(s4.current?.window, 0);
  assert.deepEqual([s4.counts.Host, s4.counts.Music], [0, 0]);
  assert.match(s4.message?.text ?? '', /undone: Music \+ Host/);
});

test('skip or not sure with labels added is refused with a hint, so no added label is lost', () => {
  const [s, effects] = run(start(), plus, label(1), key({ type: 'skip' }), key({ type: 'unsure' }));
  assert.deepEqual(saves(effects), []);
  assert.deepEqual(s.moreLabels, ['Music']);
  assert.match(s.message?.text ?? '', /finish it with a label key/);
});

test('+ and label keys typed ahead while a save is on its way apply to the next clip, in order', () => {
  const [s1, e1] = run(start(), label(0), plus, label(1), label(2));
  assert.deepEqual(saves(e1), [{ label: 'Host', kind: 'label' }]);
  const [, e2] = run(s1, { type: 'saved', id: 'r1', clip: clip(0), decision: saves(e1)[0] });
  assert.deepEqual(e2.flatMap((e) => (e.type === 'save' ? [[e.clip.window, e.decision]] : [])), [[1, { label: 'Music', labels: ['Music', 'Applause'], kind: 'label' }]]);
});
