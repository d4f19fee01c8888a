import { Box, Text } from 'ink';
import { COMMAND_HELP } from '../app/commands.js';
import type { KeyMap } from '../app/keymap.js';
import type { LabelDef } from '../domain/labels.js';
import { keysFor } from './key-legend.js';

export function HelpScreen({ keymap, labels }: { keymap: KeyMap; labels: LabelDef[] }) {
  return (
    <Box flexDirection="column">
      <Text bold>hark — keys (press ? to go back)</Text>
      {labels.map((l, i) => (
        <Text key={l.name}>
          <Text bold>{keysFor(keymap, `label${i + 1}`).padEnd(12)}</Text> label the clip "{l.name}"
        </Text>
      ))}
      {Object.entries(COMMAND_HELP).map(([name, text]) => (
        <Text key={name}>
          <Text bold>{keysFor(keymap, name).padEnd(12)}</Text> {text}
        </Text>
      ))}
      <Text dimColor>Each label is saved before the next clip shows. Keys can be changed in the store's hark.json ("keys").</Text>
    </Box>
  );
}
