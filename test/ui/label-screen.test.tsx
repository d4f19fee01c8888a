import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { buildKeyMap } from '../../src/app/keymap.js';
import { initialSession, reduce } from '../../src/app/session.js';
import { LabelScreen } from '../../src/ui/label-screen.js';

const labels = [
  { name: 'Music', key: '1' },
  { name: 'Speech', key: '2' },
];
const { keymap } = buildKeyMap(labels.map((l) => l.key));
const clip = { window: 3, file: 'tapes/side-a.mp3', start: 123, duration: 1, how: 'random', reason: 'random' };
const [session] = reduce(initialSession(labels, {}, 0), { type: 'clips', clips: [clip] });

function screen(props: { columns: number; rows: number; message?: string; playerMessage?: string; modelLine?: string }): string {
  const view = {
    session: { ...session, message: props.message ? { text: props.message, level: 'info' as const } : undefined },
    player: props.playerMessage ? { mode: 'tcp', ok: false, message: props.playerMessage } : { mode: 'none', ok: true },
  };
  const { lastFrame, unmount } = render(
    <LabelScreen view={view} keymap={keymap} storePath="/home/archivist/.local/share/hark/tapes-1234" columns={props.columns} rows={props.rows} color={false} modelLine={props.modelLine} now={0} />,
  );
  const frame = lastFrame() ?? '';
  unmount();
  return frame;
}

/** The frame's characters in order, whatever the line breaks (a long path is broken inside a word). */
const words = (text: string) => text.replace(/\s+/g, '');

test('at 80 columns the model line, an audio error and apply\'s output path are wrapped, not cut before what matters', () => {
  const modelLine = 'model v57 · retrained 1s ago · Tone: 34 of ~38 (22–61) found · model recall 93% (70%–99%) · goal 90% met: you can stop and run hark apply';
  const playerMessage = 'lost 10.0.0.5:7777 (connection refused: is hark listen running on the laptop?); reconnecting in 2 s';
  const message = 'apply: Tone in 59 ranges, 0:12:31 in 14 recordings, finds ~93% (80%–98%) → /home/archivist/.local/share/hark/tapes-1234/apply/runs/2026-12-01T19-07-12.345Z-Tone (r to review)';
  const frame = screen({ columns: 80, rows: 24, message, playerMessage, modelLine });
  for (const line of frame.split('\n')) assert.ok(line.length <= 80, `a line wider than the terminal: ${line}`);
  for (const text of [modelLine, playerMessage, message]) assert.ok(words(frame).includes(words(text)), `${text} is not whole in:\n${frame}`);
});

test('a 40x10 terminal shows the clip\'s file and time and the label keys within its ten rows', () => {
  const frame = screen({ columns: 40, rows: 10, modelLine: 'model v3 · Tone: 3 found' });
  const lines = frame.split('\n');
  assert.ok(lines.length < 10, `${lines.length} rows:\n${frame}`);
  assert.match(lines[0], /tapes\/side-a\.mp3 0:02:03\.0/);
  assert.match(frame, /1 Music 0/);
  assert.match(frame, /\? help · q quit/);
});

test('while a label is being saved the screen says so, with the keys typed ahead that wait for it', () => {
  const [saving] = reduce(session, { type: 'command', command: { type: 'label', index: 0 } });
  const [waiting] = reduce(saving, { type: 'command', command: { type: 'label', index: 1 } });
  const frameOf = (s: typeof session) => {
    const { lastFrame, unmount } = render(
      <LabelScreen view={{ session: s, player: { mode: 'none', ok: true } }} keymap={keymap} storePath="/s" columns={100} rows={24} color={false} now={0} />,
    );
    const frame = lastFrame() ?? '';
    unmount();
    return frame;
  };
  assert.match(frameOf(session), /session 0 · /);
  assert.match(frameOf(saving), /session 0 \(saving…\) · /);
  assert.match(frameOf(waiting), /session 0 \(saving… 1 more waiting\) · /);
});
