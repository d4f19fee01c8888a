import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKeyMap, defaultLabelKeys, resolveKeys } from '../../src/app/keymap.js';

test('digits pick labels in order and letters follow past nine labels', () => {
  const keys = defaultLabelKeys(11);
  assert.deepEqual(keys.slice(0, 9), [...'123456789']);
  const { keymap } = buildKeyMap(keys);
  assert.deepEqual(resolveKeys(keymap, { input: '3' })[0], { type: 'label', index: 2 });
  assert.deepEqual(resolveKeys(keymap, { input: keys[10] })[0], { type: 'label', index: 10 });
  for (const k of keys.slice(9)) assert.ok(!'0cstumq?[] '.includes(k), `label key ${k} must not steal a command key`);
});

test('the documented default keys do what the help says', () => {
  const { keymap } = buildKeyMap(defaultLabelKeys(3));
  const expect: [string, string][] = [['0', 'unsure'], [' ', 'replay'], ['c', 'context'], ['[', 'slower'], [']', 'faster'], ['s', 'skip'], ['u', 'undo'], ['?', 'help'], ['q', 'quit']];
  for (const [input, type] of expect) assert.equal(resolveKeys(keymap, { input })[0]?.type, type, input);
  assert.equal(resolveKeys(keymap, { input: '', backspace: true })[0]?.type, 'undo');
  assert.equal(resolveKeys(keymap, { input: 'c', ctrl: true })[0]?.type, 'quit');
});

test('user overrides from the config remap keys and bad names are reported, not applied', () => {
  const { keymap, problems } = buildKeyMap(defaultLabelKeys(2), { x: 'skip', z: 'explode', j: 'label2' });
  assert.equal(resolveKeys(keymap, { input: 'x' })[0]?.type, 'skip');
  assert.deepEqual(resolveKeys(keymap, { input: 'j' })[0], { type: 'label', index: 1 });
  assert.equal(resolveKeys(keymap, { input: 'z' })[0], undefined);
  assert.deepEqual(problems, [{ key: 'z', command: 'explode' }]);
});

test('keys that arrive together in one read are each obeyed, in order', () => {
  const { keymap } = buildKeyMap(defaultLabelKeys(2));
  assert.deepEqual(resolveKeys(keymap, { input: '?q' }).map((c) => c.type), ['help', 'quit']);
  assert.deepEqual(resolveKeys(keymap, { input: 'x' }), []);
});
