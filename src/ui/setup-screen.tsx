import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { labelOffers, type LabelSet } from '../app/label-offers.js';
import { SelectListView, useSelectList } from './select-list.js';

export const LABEL_PRESETS: LabelSet[] = [
  { name: 'HiPSTAS', labels: ['Background Speaker', 'Music', 'Silence', 'Multiple Speakers', 'Noise'] },
  { name: 'Broadcast', labels: ['Host', 'Guest', 'Music', 'Silence', 'Noise', 'Tone'] },
  { name: 'Speech / music', labels: ['Speech', 'Music', 'Other'] },
];

const OWN = 'own';

/** Parses "A, B ,C" into distinct non-empty label names. */
export function parseLabelList(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

export interface SetupScreenProps {
  onDone: (labels: string[]) => void;
  /** Ctrl+C anywhere, or Esc/q on the list: leave without choosing */
  onQuit: () => void;
  /** the label names the store's decisions already use (after an import or a simulation), in the order to offer them */
  held?: string[];
}

/**
 * First run on a new store: choose a label set or type one's own. One key handler, subscribed from the first frame
 * on, reads the list's keys and the typed text alike: a text field that subscribed only once shown lost what was
 * typed before its subscription (and its onSubmit saw the value of its last render, not keys not yet drawn), and a
 * list shown again after Esc lost its first key the same way.
 */
export function SetupScreen({ onDone, onQuit, held = [] }: SetupScreenProps) {
  const [typing, setTyping] = useState(false);
  const [text, setText] = useState('');
  // the mode and text as of the last key, not the last render: keys can arrive faster than redraws
  const mode = useRef<'list' | 'typing'>('list');
  const typed = useRef('');
  const type = (value: string) => {
    typed.current = value;
    setText(value);
  };
  const startTyping = (on: boolean) => {
    mode.current = on ? 'typing' : 'list';
    setTyping(on);
  };
  const sets = labelOffers(held, LABEL_PRESETS);
  const items = [
    ...sets.map((p, i) => ({ label: `${i + 1} ${p.name}: ${p.labels.join(', ')}`, value: String(i) })),
    { label: `${sets.length + 1} My own labels…`, value: OWN },
  ];
  const list = useSelectList({
    items,
    onSelect: (item) => (item.value === OWN ? startTyping(true) : onDone(sets[Number(item.value)].labels)),
    onCancel: onQuit,
  });
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onQuit();
    if (mode.current === 'list') return list.onKey(input, key);
    if (key.escape) {
      type('');
      return startTyping(false);
    }
    if (key.return) {
      const labels = parseLabelList(typed.current);
      if (labels.length) onDone(labels);
    } else if (key.backspace || key.delete) {
      type(typed.current.slice(0, -1));
    } else if (!key.ctrl && !key.meta && !key.tab && input) {
      type(typed.current + input);
    }
  });
  if (typing) {
    return (
      <Box flexDirection="column">
        <Text bold>Type your labels, separated by commas, then press enter (Esc to go back):</Text>
        <Text>
          {text}
          <Text inverse> </Text>
        </Text>
        <Text dimColor>e.g. Host, Guest, Music, Applause (up to 9 get number keys)</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold>
        {held.length ? `This store holds decisions under ${held.length} label(s) but has no keys for them yet.` : 'This store has no labels yet.'} Choose a
        label set (arrows and enter, or its number; q to quit):
      </Text>
      <SelectListView items={items} highlighted={list.highlighted} />
    </Box>
  );
}
