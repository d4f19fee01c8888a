import { Box, Text } from 'ink';
import { SelectList } from './select-list.js';
import type { LabelDef } from '../domain/labels.js';

const NONE = '\u0000none';

/** Picks the label the queue should hunt for (or none: random clips only). */
export function TargetPicker({ labels, current, onChoose }: { labels: LabelDef[]; current?: string; onChoose: (target?: string) => void }) {
  const items = [...labels.map((l) => ({ label: l.name, value: l.name })), { label: '(no target: random clips)', value: NONE }];
  return (
    <Box flexDirection="column">
      <Text bold>Which label should hark hunt for? (enter to choose)</Text>
      <SelectList
        items={items}
        initialIndex={Math.max(0, items.findIndex((item) => item.value === current))}
        onSelect={(item) => onChoose(item.value === NONE ? undefined : item.value)}
      />
    </Box>
  );
}
