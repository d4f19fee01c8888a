import { parseCommand, type Command } from './commands.js';

/** What the terminal told us about one keypress (the subset of ink's Key that we bind). */
export interface KeyPress {
  input: string;
  backspace?: boolean;
  delete?: boolean;
  escape?: boolean;
  ctrl?: boolean;
}

export type KeyMap = ReadonlyMap<string, Command>;

const DEFAULT_BINDINGS: [string, string][] = [
  ['0', 'unsure'],
  [' ', 'replay'],
  ['c', 'context'],
  ['[', 'slower'],
  [']', 'faster'],
  ['s', 'skip'],
  ['u', 'undo'],
  ['backspace', 'undo'],
  ['+', 'also'],
  ['escape', 'cancel'],
  ['?', 'help'],
  ['q', 'quit'],
  ['t', 'target'],
  ['m', 'similar'],
  ['a', 'apply'],
  ['r', 'review'],
];

export interface KeyMapProblem {
  key: string;
  command: string;
}

/**
 * Digits 1-9 then the labels' own keys pick labels; user overrides (key -> command name) replace defaults.
 * Overrides naming an unknown command are returned as problems, not applied.
 */
export function buildKeyMap(
  labelKeys: readonly string[],
  overrides: Record<string, string> = {},
): { keymap: KeyMap; problems: KeyMapProblem[] } {
  const map = new Map<string, Command>();
  for (const [key, name] of DEFAULT_BINDINGS) map.set(key, parseCommand(name)!);
  labelKeys.forEach((key, index) => map.set(key, { type: 'label', index }));
  const problems: KeyMapProblem[] = [];
  for (const [key, name] of Object.entries(overrides)) {
    const command = parseCommand(name);
    if (command) map.set(key, command);
    else problems.push({ key, command: name });
  }
  return { keymap: map, problems };
}

/**
 * The commands of one read from the terminal. Keys typed quickly (or sent over a slow SSH link) can arrive
 * together as one string; each character is its own key.
 */
export function resolveKeys(keymap: KeyMap, press: KeyPress): Command[] {
  if (press.ctrl) return press.input === 'c' ? [{ type: 'quit' }] : [];
  if (press.backspace || press.delete) return keymap.has('backspace') ? [keymap.get('backspace')!] : [];
  if (press.escape) return keymap.has('escape') ? [keymap.get('escape')!] : [];
  return [...press.input].flatMap((ch) => (keymap.has(ch) ? [keymap.get(ch)!] : []));
}

/** Default keys for n labels: 1-9, then letters not bound to commands. */
export function defaultLabelKeys(n: number): string[] {
  const taken = new Set(DEFAULT_BINDINGS.map(([k]) => k));
  const pool = [...'123456789', ...'abdefghijklnoprvwxyz'].filter((k) => !taken.has(k));
  return pool.slice(0, n);
}

/** Printable name of a key for legends. */
export function keyName(key: string): string {
  return key === ' ' ? 'space' : key === 'escape' ? 'Esc' : key;
}
