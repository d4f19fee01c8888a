import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTimeline, type TimelineRow } from '../../src/format/timeline.js';
import { runSearch } from '../../src/commands/search.js';
import type { CommandIO } from '../../src/commands/command-io.js';
import { captureIO } from '../helpers/capture-io.js';
import { A, C, D, searchStore } from './search-store.js';

const ROWS: TimelineRow[] = [
  { name: 'The_World/first.wav', duration: 600, spans: [{ start: 0, end: 300, label: 'Music' }, { start: 450, end: 600, label: 'Host' }] },
  { name: 'Oral_History/a_much_longer_name_of_a_recording.wav', duration: 1200, spans: [{ start: 600, end: 1200, label: 'Speech' }] },
];
const visible = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');

test('a 100-column timeline: legend, one line per recording on one scale, an axis, nothing wider than 100', () => {
  const lines = renderTimeline(ROWS, { width: 100, color: false });
  assert.equal(lines[0], 'H Host  M Music  S Speech');
  assert.ok(lines.every((l) => l.length <= 100), lines.join('\n'));
  const bar = (line: string) => line.slice(line.indexOf(' ', 35) + 1);
  const first = bar(lines[1]);
  const second = bar(lines[2]);
  assert.equal(second.length, 100 - 35 - 1, 'the longest recording spans the whole width');
  assert.equal(first.length, Math.ceil(second.length / 2), 'a recording half as long draws half as far');
  assert.match(first, /^M+·+H+$/);
  assert.match(second, /^·+S+$/);
  assert.ok(Math.abs(first.indexOf('·') - first.length / 2) <= 1, 'Music fills the first half of its 10 minutes');
  assert.match(lines[1], /^The_World\/first\.wav +M/);
  assert.match(lines[2], /^….*recording\.wav M?·/, 'a long name keeps its end');
  assert.match(lines[3], /0:00:00 +0:20:00$/);
});

test('a 40-column timeline still shows every label and recording within 40 columns', () => {
  const lines = renderTimeline(ROWS, { width: 40, color: false });
  assert.ok(lines.every((l) => l.length <= 40), lines.join('\n'));
  assert.equal(lines.length, 4);
  assert.match(lines[1], /M+·+H+$/);
  assert.match(lines[2], /S+$/);
});

test('in colour each label is a run of its own colour, and the legend says which', () => {
  const lines = renderTimeline(ROWS, { width: 60, color: '256' });
  const colourOf = (line: string, label: string) => new RegExp(`\\x1b\\[38;5;(\\d+)m█\\x1b\\[39m ${label}`).exec(line)![1];
  const music = colourOf(lines[0], 'Music');
  const host = colourOf(lines[0], 'Host');
  assert.notEqual(music, host);
  assert.match(lines[1], new RegExp(`^\\S+ +\\x1b\\[38;5;${music}m█+\\x1b\\[39m·+\\x1b\\[38;5;${host}m█+\\x1b\\[39m$`), 'one colour escape per run');
  assert.ok(lines.every((l) => visible(l).length <= 60));
});

test('hark search --timeline draws the matching recordings at the width asked for, plain when colour is off', async () => {
  const { store } = await searchStore();
  const { io, text } = captureIO();
  const full = { ...io, stdout: { isTTY: false } as NodeJS.WriteStream, stdin: process.stdin, color: false } as CommandIO;
  assert.equal(await runSearch({ store, query: 'Music or Carol Hills', timeline: true, width: 40 }, full), 0, text.err);
  const lines = text.out.trimEnd().split('\n');
  assert.equal(lines[0], 'C Carol Hills  M Music');
  assert.equal(lines.length, 1 + 4 + 1);
  assert.ok(lines.every((l) => l.length <= 40), text.out);
  const row = (path: string) => lines.find((l) => l.startsWith(path.slice(0, 10)) || l.includes(path.slice(-8)))!;
  assert.match(row(D), /M/, 'the music of the long recording');
  assert.match(row(C), /C/);
  assert.match(row(A), /C/);
});
