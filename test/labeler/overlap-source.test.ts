import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clip } from '../../src/app/session.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { withOverlap } from '../../src/labeler/overlap-source.js';
import type { ClipSource } from '../../src/labeler/session-controller.js';

const clip = (window: number, how: string): Clip => ({ window, file: 'a.wav', start: window, duration: 1, how, reason: how });

/** A queue that deals the windows from `from` on, every other one drawn at random. */
function dealer(from: number): ClipSource {
  return {
    next: async (count) => Array.from({ length: count }, (_, i) => clip(from + i, i % 2 ? 'likely' : 'random')),
    similar: async () => [],
    decided: () => {},
    undone: () => {},
    setTarget: () => {},
  };
}

test("about the overlap share of random draws become blind checks of others' clips, never twice and never a queued one", async () => {
  const theirs = Array.from({ length: 400 }, (_, i) => clip(i, 'random'));
  const source = withOverlap(dealer(1000), { share: 0.2, rand: seededRandom(4), candidates: () => theirs });
  const clips = await source.next(1000, [0, 1, 2]);
  const checks = clips.filter((c) => c.how === 'overlap');
  const randomDraws = 500;
  assert.ok(checks.length > 0.15 * randomDraws && checks.length < 0.25 * randomDraws, `${checks.length} of ${randomDraws} random draws`);
  assert.ok(checks.every((c) => c.window >= 3 && c.window < 400), 'only clips others labeled, none already queued');
  assert.equal(new Set(checks.map((c) => c.window)).size, checks.length, 'each at most once');
  assert.ok(clips.filter((c) => c.how === 'likely').length === 500, "the model's picks are left alone");
  assert.ok(checks.every((c) => c.reason === 'agreement check'), 'blind: nothing says what the others chose');
});

test('with nobody else to check against, or a share of 0, the queue is as the learner dealt it', async () => {
  const alone = withOverlap(dealer(0), { share: 1, rand: seededRandom(1), candidates: () => [] });
  assert.ok((await alone.next(10, [])).every((c) => c.how !== 'overlap'));
  const off = withOverlap(dealer(0), { share: 0, rand: seededRandom(1), candidates: () => [clip(99, 'random')] });
  assert.ok((await off.next(10, [])).every((c) => c.how !== 'overlap'));
});
