import { useReducer, useRef } from 'react';
import { Box, useInput, type Key } from 'ink';
import { Indicator, Item } from 'ink-select-input';

export interface SelectItem {
  label: string;
  value: string;
}

export interface SelectListProps {
  items: SelectItem[];
  initialIndex?: number;
  onSelect: (item: SelectItem) => void;
  /** Esc or q */
  onCancel?: () => void;
}

/**
 * The keys of a list chosen from with arrows (or j/k) and enter, or a number key. The highlight lives in a ref,
 * not in state read by the key handler: Ink subscribes that handler again only after a redraw, so keys typed
 * faster than the screen redraws (down, down, enter) would otherwise each be read against the highlight before
 * them, as they are by ink-select-input's own list. `onKey` is for a screen that reads all its keys in one handler.
 */
export function useSelectList({ items, initialIndex = 0, onSelect, onCancel }: SelectListProps) {
  const highlighted = useRef(Math.max(0, Math.min(initialIndex, items.length - 1)));
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const onKey = (input: string, key: Key) => {
    const step = key.upArrow || input === 'k' ? -1 : key.downArrow || input === 'j' ? 1 : 0;
    if (step !== 0 && items.length > 0) {
      highlighted.current = (highlighted.current + step + items.length) % items.length;
      redraw();
    } else if (key.return && items[highlighted.current]) {
      onSelect(items[highlighted.current]);
    } else if (/^[1-9]$/.test(input) && items[Number(input) - 1]) {
      onSelect(items[Number(input) - 1]);
    } else if ((key.escape || input === 'q') && !key.ctrl) {
      onCancel?.();
    }
  };
  return { highlighted: highlighted.current, onKey };
}

/** The list drawn with ink-select-input's indicator and items. */
export function SelectListView({ items, highlighted }: { items: SelectItem[]; highlighted: number }) {
  return (
    <Box flexDirection="column">
      {items.map((item, i) => (
        <Box key={item.value}>
          <Indicator isSelected={i === highlighted} />
          <Item label={item.label} isSelected={i === highlighted} />
        </Box>
      ))}
    </Box>
  );
}

/** A list that reads its own keys. */
export function SelectList(props: SelectListProps) {
  const { highlighted, onKey } = useSelectList(props);
  useInput(onKey);
  return <SelectListView items={props.items} highlighted={highlighted} />;
}
