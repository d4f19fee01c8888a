import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readStore } from '../../src/store/label-store.js';
import { TmuxTerminal } from '../helpers/tmux.js';
import { tempDir } from '../helpers/fixtures.js';
import { C, searchStore } from './search-store.js';

const HARK = resolve('bin/hark.js');
const records = (store: string): { file: string; start: number; label: string; how: string }[] => [...readStore(store).records];

test('label --from-search queues the hits first: each key confirms or rejects a hit, saved as how "search"', async () => {
  const { store } = await searchStore();
  const before = records(store).length;
  const term = new TmuxTerminal(`node ${HARK} label --store '${store}' --player none --seed 3 --from-search 'Carol Hills total > 5m'`, {
    columns: 100,
    env: { HOME: tempDir('hark-home-') },
  });
  await term.waitFor(/carol_interview_ep12\.wav 0:01:40\.0/, 60_000);
  assert.match(term.screen(), /2 clips the search "Carol Hills total > 5m" found/);
  term.keys('4');
  await term.waitFor(/carol_interview_ep12\.wav 0:05:50\.0/);
  term.keys('1');
  await term.waitFor(/session 2 /);
  term.keys('q');
  await term.waitFor(() => term.exited());
  const saved = records(store).slice(before);
  assert.deepEqual(
    saved.map((r) => [r.file, r.start, r.label, r.how]),
    [
      [C, 100, 'Carol Hills', 'search'],
      [C, 350, 'Music', 'search'],
    ],
  );
});

test('label --from-search with a query it cannot read says where, and never opens the screen', async () => {
  const { store } = await searchStore();
  const term = new TmuxTerminal(`node ${HARK} label --store '${store}' --player none --from-search 'Carol Hills total >'`, { env: { HOME: tempDir('hark-home-') } });
  await term.waitFor(() => term.exited(), 60_000);
  assert.match(term.screen(), /hark: cannot read the query at column 20: expected a length of time/);
});

test('label --from-search on a query that only rules things out plays clips spread across each matching recording', async () => {
  const { store } = await searchStore();
  const before = records(store).length;
  const term = new TmuxTerminal(`node ${HARK} label --store '${store}' --player none --seed 3 --from-search 'date = 2016 and not Host'`, {
    columns: 100,
    env: { HOME: tempDir('hark-home-') },
  });
  await term.waitFor(/3 clips the search "date = 2016 and not Host" found/, 60_000);
  for (const [i, key] of ['1', '4', '1'].entries()) {
    await term.waitFor(new RegExp(`search ${i + 1}/3: no hit: ${i + 1} of 3 across it`));
    term.keys(key);
    await term.waitFor(new RegExp(`session ${i + 1} `));
  }
  term.keys('q');
  await term.waitFor(() => term.exited());
  const saved = records(store).slice(before);
  assert.deepEqual(
    saved.map((r) => [r.file, Math.floor(r.start / 10) * 10, r.label, r.how]),
    [
      [C, 110, 'Music', 'search'],
      [C, 350, 'Carol Hills', 'search'],
      [C, 580, 'Music', 'search'],
    ],
    'clips at a sixth, a half and five sixths of the 700 s recording',
  );
});
