/** Everything a key can ask for; key bindings, the config file and the help screen all speak this type. */
export type Command =
  | { type: 'label'; index: number }
  | { type: 'unsure' }
  | { type: 'replay' }
  | { type: 'context' }
  | { type: 'slower' }
  | { type: 'faster' }
  | { type: 'skip' }
  | { type: 'undo' }
  | { type: 'also' }
  | { type: 'cancel' }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'target' }
  | { type: 'similar' }
  | { type: 'apply' }
  | { type: 'review' };

export type CommandName = Exclude<Command['type'], 'label'> | `label${number}`;

export const COMMAND_HELP: Record<Exclude<Command['type'], 'label'>, string> = {
  unsure: 'not sure (saved, so the clip is not shown again)',
  replay: 'replay the clip',
  context: 'play the clip with context before and after',
  slower: 'slower playback (pitch kept)',
  faster: 'faster playback (pitch kept)',
  skip: 'skip this clip (recorded, never shown again)',
  undo: 'undo the last label or skip and bring that clip back (or take back a label added with +)',
  also: 'then a label key: add that label to this clip (more than one sound in it); the clip stays until a label key without +',
  cancel: 'cancel a + waiting for its label key',
  help: 'show or hide this help',
  quit: 'quit (every label is already saved)',
  target: 'choose the target label the queue hunts for',
  similar: 'more like this: queue the clips nearest to this one',
  apply: 'apply the model to the whole collection (in the background) and show what it found',
  review: 'review what apply found: one clip from each range; your labels confirm or reject it',
};

/** Parses a command name as written in the store's config ("label3", "undo"). */
export function parseCommand(name: string): Command | undefined {
  const m = /^label([1-9][0-9]*)$/.exec(name);
  if (m) return { type: 'label', index: Number(m[1]) - 1 };
  return name in COMMAND_HELP ? ({ type: name } as Command) : undefined;
}

export function commandName(c: Command): CommandName {
  return c.type === 'label' ? `label${c.index + 1}` : c.type;
}
