import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateSpan, durationSeconds, parseQuery } from '../../src/search/query-parser.js';
import { dateInName, recordingDate } from '../../src/search/recording-date.js';

test('lengths of time are read the ways people write them', () => {
  const cases: [string, number | undefined][] = [
    ['80s', 80], ['5m', 300], ['1h', 3600], ['1h30m', 5400], ['90', 90], ['1:30', 90], ['1:02:03', 3723], ['2.5min', 150],
    ['30x', undefined], ['m', undefined], ['', undefined],
  ];
  for (const [text, seconds] of cases) assert.equal(durationSeconds(text), seconds, text);
});

test('a date in a query covers its whole year or month', () => {
  assert.deepEqual(dateSpan('2017'), { first: '2017-01-01', last: '2017-12-31' });
  assert.deepEqual(dateSpan('2016-02'), { first: '2016-02-01', last: '2016-02-29' });
  assert.deepEqual(dateSpan('20170622'), { first: '2017-06-22', last: '2017-06-22' });
  assert.equal(dateSpan('2017-13'), undefined);
  assert.equal(dateSpan('2017-02-30'), undefined);
});

test('a broadcast date is found in a file name, not in an episode number or the folder', () => {
  assert.deepEqual(dateInName('The_World/TheWorld_20170622.mp3'), { first: '2017-06-22', last: '2017-06-22' });
  assert.deepEqual(dateInName('shows/2017-06-22 evening.wav')?.first, '2017-06-22');
  assert.deepEqual(dateInName('shows/show_2017_06_22.wav')?.first, '2017-06-22');
  assert.equal(dateInName('2017-06-22/episode_123456789.wav'), undefined, 'the folder and long numbers are not dates');
  assert.equal(dateInName('take_20171399.wav'), undefined, 'no 13th month');
  assert.deepEqual(recordingDate('interview.wav', { date: '1998' }), { first: '1998-01-01', last: '1998-12-31' }, 'a year tag');
});

test('and binds tighter than or; qualifiers follow a multi-word label in any order', () => {
  assert.deepEqual(parseQuery('Tone or Music > 30s and not Host'), {
    type: 'or',
    items: [
      { type: 'label', label: 'Tone', at: 1 },
      {
        type: 'and',
        items: [
          { type: 'label', label: 'Music', at: 9, length: { op: '>', seconds: 30 } },
          { type: 'not', item: { type: 'label', label: 'Host', at: 29 } },
        ],
      },
    ],
  });
  assert.deepEqual(parseQuery('Carol Hills by model in last 5m total >= 1m'), {
    type: 'label',
    label: 'Carol Hills',
    at: 1,
    source: { by: 'model' },
    window: { from: 'end', seconds: 300 },
    total: { op: '>=', seconds: 60 },
  });
});
