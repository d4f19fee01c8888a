import { Box, Text } from 'ink';
import { SelectList } from './select-list.js';
import type { LabelDef } from '../domain/labels.js';

const NONE = '\u0000none';

export interface TargetPickerProps {
  labels: LabelDef[];
  current?: string;
  onChoose: (target?: string) => void;
  /** Esc or q: keep the target as it is */
  onCancel: () => void;
}

/** Picks the label the queue should hunt for (or none: random clips only). */
export function TargetPicker({ labels, current, onChoose, onCancel }: TargetPickerProps) {
  const items = [...labels.map((l) => ({ label: l.name, value: l.name })), { label: '(no target: random clips)', value: NONE }];
  return (
    <Box flexDirection="column">
      <Text bold>Which label should hark hunt for? (enter to choose, Esc to keep {current ?? 'no target'})</Text>
      <SelectList
        items={items}
        initialIndex={Math.max(0, items.findIndex((item) => item.value === current))}
        onSelect={(item) => onChoose(item.value === NONE ? undefined : item.value)}
        onCancel={onCancel}
      />
    </Box>
  );
}
