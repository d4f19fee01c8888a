import { useRef } from 'react';
import { useInput } from 'ink';
import SelectInput from 'ink-select-input';

export interface SelectItem {
  label: string;
  value: string;
}

/**
 * ink-select-input's list, with enter and number keys answered here. The list subscribes its key handler again
 * after every redraw, so a key arriving in between is read with the previous selection: down then enter, typed
 * quickly, chose the item above the one on screen. What is on screen is tracked through onHighlight instead.
 */
export function SelectList({ items, initialIndex = 0, onSelect }: { items: SelectItem[]; initialIndex?: number; onSelect: (item: SelectItem) => void }) {
  const shown = useRef(items[initialIndex]);
  useInput((input, key) => {
    if (key.return && shown.current) onSelect(shown.current);
    else if (/^[1-9]$/.test(input) && items[Number(input) - 1]) onSelect(items[Number(input) - 1]);
  });
  return <SelectInput items={items} initialIndex={initialIndex} onHighlight={(item) => (shown.current = item)} />;
}
