import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateArms, MIXED_SHARES, parseStrategy, StrategyError } from '../../src/ml/strategies.js';

test('strategy names and share lists parse; shares are normalised', () => {
  assert.deepEqual(parseStrategy().shares, MIXED_SHARES);
  assert.deepEqual(parseStrategy('random').shares, { likely: 0, random: 1, uncertain: 0 });
  assert.deepEqual(parseStrategy('likely:3, random:1').shares, { likely: 0.75, random: 0.25, uncertain: 0 });
  assert.equal(parseStrategy('likely:0.5,random:0.4,uncertain:0.1').name, 'likely:0.5,random:0.4,uncertain:0.1');
});

test('a mistyped strategy is refused with a message that lists the valid ones', () => {
  assert.throws(() => parseStrategy('likley'), (e: Error) => e instanceof StrategyError && /use mixed, random/.test(e.message));
  assert.throws(() => parseStrategy('likely:-1'), StrategyError);
  assert.throws(() => parseStrategy('random:0'), /share of 0/);
});

test('the mix of arms stays at its shares over any stretch of choices', () => {
  const made = { likely: 0, random: 0, uncertain: 0 };
  const arms = allocateArms(MIXED_SHARES, made, 20);
  const count = (a: string) => arms.filter((x) => x === a).length;
  assert.deepEqual([count('likely'), count('random'), count('uncertain')], [8, 6, 6]);
  // one at a time, continuing from what was made, gives the same mix
  for (let i = 0; i < 20; i++) made[allocateArms(MIXED_SHARES, made, 1)[0]]++;
  assert.deepEqual(made, { likely: 8, random: 6, uncertain: 6 });
  assert.deepEqual(allocateArms(parseStrategy('random').shares, made, 3), ['random', 'random', 'random']);
});
