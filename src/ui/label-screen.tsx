import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { SessionState } from '../app/session.js';
import { labelRate } from '../app/session.js';
import type { KeyMap } from '../app/keymap.js';

import { formatClock } from '../format/time-format.js';
import { fitSpectrogram } from '../audio/spectrogram.js';
import { NOT_SURE } from '../domain/labels.js';
import type { ColorMode } from '../format/color-mode.js';
import type { SessionView } from '../labeler/session-controller.js';
import { clipMarker, SpectrogramView } from './spectrogram-view.js';
import { keysFor } from './key-legend.js';

/** Terminals shorter than this get the compact screen: the clip, its label keys, the counts and the last message. */
const COMPACT_BELOW_ROWS = 14;

export interface LabelScreenProps {
  view: SessionView;
  keymap: KeyMap;
  storePath: string;
  columns: number;
  rows: number;
  color: ColorMode;
  /** extra status from the model, one line */
  modelLine?: string;
  now: number;
}

export function LabelScreen({ view, keymap, storePath, columns, rows, color, modelLine, now }: LabelScreenProps) {
  const { session, audio, player } = view;
  const clip = session.current;
  const width = Math.max(20, columns - 1);
  const specRows = rows >= 22 ? 6 : rows >= 15 ? 3 : 1;
  // below this the full screen is taller than the terminal and Ink scrolls its top (the clip's file and time) away
  const compact = rows < COMPACT_BELOW_ROWS;
  const spec = useMemo(() => audio && fitSpectrogram(audio.data.spectrogram, width, specRows * 2), [audio, width, specRows]);
  const upcoming = useMemo(() => view.next && fitSpectrogram(view.next.data.spectrogram, width, specRows * 2), [view.next, width, specRows]);
  const marker = audio ? clipMarker(width, audio.data.clipFrom, audio.data.clipTo, audio.data.samples.length) : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold>hark</Text>
        {clip ? (
          <>
            {' '}
            <Text color={color ? 'green' : undefined}>{clip.file}</Text> {formatClock(clip.start, 1)} +{clip.duration.toFixed(1)}s ·{' '}
            <Text color={color ? 'yellow' : undefined}>{clip.reason}</Text>
          </>
        ) : (
          <Text> {session.exhausted ? 'every clip is labeled — nothing left to do' : 'loading clips…'}</Text>
        )}
      </Text>
      {compact ? null : <SpectrogramView spec={spec} upcoming={upcoming} rows={specRows} color={color} marker={marker} />}
      <LabelKeys session={session} keymap={keymap} color={color} />
      <LabelsSoFar session={session} keymap={keymap} color={color} />
      <Text wrap="truncate-end" dimColor>
        session {session.sessionCount} {savingNote(session)}· {labelRate(session, now).toFixed(1)}/min · total {totalCount(session)} · speed{' '}
        {session.tempo}x · audio: {player.mode}
        {session.target ? ` · target ${session.target}` : ''}
      </Text>
      {player.ok ? null : (
        <Text wrap="wrap" color="red">
          audio: {player.message ?? 'failed'}
        </Text>
      )}
      {modelLine && !compact ? <Text wrap="wrap" dimColor>{modelLine}</Text> : null}
      {view.team && !compact ? <Text wrap="wrap" dimColor>{view.team}</Text> : null}
      <Text wrap="wrap" color={session.message?.level === 'error' ? 'red' : undefined}>
        {session.message?.text ?? (player.mode === 'none' ? 'no audio output: labeling from the picture only' : ' ')}
      </Text>
      {compact ? (
        <Text dimColor wrap="truncate-end">
          {keysFor(keymap, 'help')} help · {keysFor(keymap, 'quit')} quit · a taller terminal shows more
        </Text>
      ) : (
        <>
          <Text wrap="wrap" dimColor>
            {keysFor(keymap, 'replay')} replay · {keysFor(keymap, 'context')} context · {keysFor(keymap, 'skip')} skip ·{' '}
            {keysFor(keymap, 'also')} another label · {keysFor(keymap, 'undo')} undo · {keysFor(keymap, 'help')} help · {keysFor(keymap, 'quit')} quit
          </Text>
          <Text wrap="truncate-middle" dimColor>
            store {storePath}
          </Text>
        </>
      )}
    </Box>
  );
}

function LabelKeys({ session, keymap, color }: { session: SessionState; keymap: KeyMap; color: ColorMode }) {
  const items = session.labels.map((l, i) => ({
    key: keysFor(keymap, `label${i + 1}`),
    name: l.name,
    count: session.counts[l.name] ?? 0,
  }));
  items.push({ key: keysFor(keymap, 'unsure'), name: 'not sure', count: session.counts[NOT_SURE] ?? 0 });
  return (
    <Box flexWrap="wrap" columnGap={2}>
      {items.map((it) => (
        <Text key={it.name}>
          <Text bold color={color ? 'cyan' : undefined}>
            {it.key}
          </Text>{' '}
          {it.name} <Text dimColor>{it.count}</Text>
        </Text>
      ))}
    </Box>
  );
}

/** The labels given with + to the clip on screen, and a + waiting for its label key: nothing is saved yet. */
function LabelsSoFar({ session, keymap, color }: { session: SessionState; keymap: KeyMap; color: ColorMode }) {
  if (!session.adding && session.moreLabels.length === 0) return null;
  const next = session.adding ? 'the label key to add' : `${keysFor(keymap, 'also')} adds another, a label key alone finishes`;
  return (
    <Text wrap="truncate-end">
      this clip:{' '}
      <Text bold color={color ? 'cyan' : undefined}>
        {[...session.moreLabels, ...(session.adding ? ['?'] : [])].join(' + ')}
      </Text>{' '}
      <Text dimColor>({next})</Text>
    </Text>
  );
}

/** Says a key is being saved, and how many typed ahead wait for it, so no key seems lost. */
function savingNote(session: SessionState): string {
  if (!session.busy && session.pending.length === 0) return '';
  return session.pending.length ? `(saving… ${session.pending.length} more waiting) ` : '(saving…) ';
}

function totalCount(session: SessionState): number {
  return session.labels.reduce((s, l) => s + (session.counts[l.name] ?? 0), 0);
}

