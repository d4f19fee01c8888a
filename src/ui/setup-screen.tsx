import { Box, Text } from 'ink';
import { SelectList } from './select-list.js';
import TextInput from 'ink-text-input';
import { useRef, useState } from 'react';

export const LABEL_PRESETS: { name: string; labels: string[] }[] = [
  { name: 'HiPSTAS', labels: ['Background Speaker', 'Music', 'Silence', 'Multiple Speakers', 'Noise'] },
  { name: 'Broadcast', labels: ['Host', 'Guest', 'Music', 'Silence', 'Noise', 'Tone'] },
  { name: 'Speech / music', labels: ['Speech', 'Music', 'Other'] },
];

const OWN = 'own';

/** Parses "A, B ,C" into distinct non-empty label names. */
export function parseLabelList(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

/** First run on a new store: choose a preset label set or type one's own. */
export function SetupScreen({ onDone }: { onDone: (labels: string[]) => void }) {
  const [typing, setTyping] = useState(false);
  const [text, setText] = useState('');
  // TextInput hands onSubmit the value of its last render; keys that arrive before the next one (a paste and its
  // enter) would be dropped, so the text is also kept as it is typed
  const typed = useRef('');
  if (typing) {
    return (
      <Box flexDirection="column">
        <Text bold>Type your labels, separated by commas, then press enter:</Text>
        <TextInput
          value={text}
          onChange={(value) => {
            typed.current = value;
            setText(value);
          }}
          onSubmit={() => {
            const labels = parseLabelList(typed.current);
            if (labels.length) onDone(labels);
          }}
        />
        <Text dimColor>e.g. Host, Guest, Music, Applause (up to 9 get number keys)</Text>
      </Box>
    );
  }
  const items = [
    ...LABEL_PRESETS.map((p, i) => ({ label: `${i + 1} ${p.name}: ${p.labels.join(', ')}`, value: p.name })),
    { label: `${LABEL_PRESETS.length + 1} My own labels…`, value: OWN },
  ];
  return (
    <Box flexDirection="column">
      <Text bold>This store has no labels yet. Choose a label set (arrows and enter, or its number):</Text>
      <SelectList
        items={items}
        onSelect={(item) => (item.value === OWN ? setTyping(true) : onDone(LABEL_PRESETS.find((p) => p.name === item.value)!.labels))}
      />
    </Box>
  );
}
