import { commandName } from '../app/commands.js';
import type { KeyMap } from '../app/keymap.js';
import { keyName } from '../app/keymap.js';

/** The keys bound to a command, as shown in legends ("u/backspace"). */
export function keysFor(keymap: KeyMap, name: string): string {
  const keys = [...keymap].filter(([, c]) => commandName(c) === name).map(([k]) => keyName(k));
  return keys.length ? keys.join('/') : '—';
}
