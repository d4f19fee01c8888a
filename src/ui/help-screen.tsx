import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { COMMAND_HELP } from '../app/commands.js';
import type { KeyMap } from '../app/keymap.js';
import type { LabelDef } from '../domain/labels.js';
import { keysFor } from './key-legend.js';

/** The keys and what they do, scrolled with the arrows (or j/k, page up/down) when taller than the terminal. */
export function HelpScreen({ keymap, labels, rows }: { keymap: KeyMap; labels: LabelDef[]; rows: number }) {
  const lines = [
    ...labels.map((l, i) => [keysFor(keymap, `label${i + 1}`), `label the clip "${l.name}"`]),
    ...Object.entries(COMMAND_HELP).map(([name, text]) => [keysFor(keymap, name), text]),
  ];
  // a title, a footer and the line ink keeps free below the frame
  const page = Math.max(1, rows - 3);
  const last = Math.max(0, lines.length - page);
  const [top, setTop] = useState(0);
  useInput((input, key) => {
    const step = key.upArrow || input === 'k' ? -1 : key.downArrow || input === 'j' ? 1 : key.pageUp ? -page : key.pageDown ? page : 0;
    if (step) setTop((t) => Math.max(0, Math.min(last, t + step)));
  });
  const from = Math.min(top, last);
  const shown = lines.slice(from, from + page);
  const scrolls = lines.length > page;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        hark — keys (? or Esc to go back{scrolls ? `; ↑/↓ scroll, lines ${from + 1}–${from + shown.length} of ${lines.length}` : ''})
      </Text>
      {shown.map(([keys, text]) => (
        <Text key={text} wrap="truncate-end">
          <Text bold>{keys.padEnd(12)}</Text> {text}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        Each label is saved before the next clip shows. Keys can be changed in the store's hark.json ("keys").
      </Text>
    </Box>
  );
}
