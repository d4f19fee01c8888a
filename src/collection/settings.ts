import { defaultLabelKeys, keyName } from '../app/keymap.js';
import { findLabel, requireLabel, type LabelDef } from '../domain/labels.js';
import type { StoreConfig } from '../store/schema.js';
import { userName } from './user-name.js';

/** What a labeling run takes from its flags, else from the store, else from hark's defaults. */
export interface Settings {
  /** clip length in seconds, fixed once a store holds decisions */
  clip: number;
  /** seconds of context before and after a clip, for the c key */
  context: number;
  annotator: string;
  /** the label the queue hunts for; none until one is chosen */
  target?: string;
  labels: LabelDef[];
}

/** The settings a flag can give; labels as names, their keys are hark's. */
export type SettingFlags = Partial<Omit<Settings, 'labels'>> & { labels?: string[] };

export type SettingSource = 'flag' | 'store' | 'default';

export interface ResolvedSettings {
  values: Settings;
  from: Record<keyof Settings, SettingSource>;
  /** what the flags change in the store: later runs use it too */
  save: Partial<StoreConfig>;
  /** one line each, for the user: flags that became the store's setting, and flags the store cannot take */
  notices: string[];
}

type Defaults = Pick<Settings, 'clip' | 'context' | 'annotator'>;

export const DEFAULT_SETTINGS = { clip: 1, context: 4 } as const satisfies Partial<Defaults>;

/** How many labels can have a key of their own. */
export const MAX_LABELS = defaultLabelKeys(Number.MAX_SAFE_INTEGER).length;

/**
 * Flag, else store, else default, for every setting of a run. A flag that differs from what the store would give is
 * saved (and said so), except a clip length once the store holds decisions: the window grid of its labels would move.
 * A --target must name one of the labels, once there are labels; --labels gives keys in order, and says which keys move.
 */
export function resolveSettings(
  flags: SettingFlags,
  config: StoreConfig,
  { decisions, defaults = { ...DEFAULT_SETTINGS, annotator: userName() } }: { decisions: number; defaults?: Defaults },
): ResolvedSettings {
  const from = {} as Record<keyof Settings, SettingSource>;
  const save: Partial<StoreConfig> = {};
  const notices: string[] = [];
  const saved: string[] = [];

  const pick = <K extends keyof Defaults>(name: K, unit = ''): Defaults[K] => {
    const stored = config[name] as Defaults[K] | undefined;
    const before = stored ?? defaults[name];
    const flag = flags[name] as Defaults[K] | undefined;
    if (flag === undefined || flag === before) {
      from[name] = flag !== undefined ? 'flag' : stored !== undefined ? 'store' : 'default';
      return before;
    }
    if (name === 'clip' && decisions > 0) {
      from[name] = stored !== undefined ? 'store' : 'default';
      notices.push(`This store already has labels on ${before} s clips; keeping that length (--clip ${flag} is for a new store).`);
      return before;
    }
    from[name] = 'flag';
    save[name] = flag as StoreConfig[K];
    saved.push(`--${name} ${flag}${unit} (was ${before}${unit})`);
    return flag;
  };
  const clip = pick('clip', ' s');
  const context = pick('context', ' s');
  const annotator = pick('annotator');

  let labels = config.labels;
  from.labels = config.labels.length ? 'store' : 'default';
  if (flags.labels?.length) {
    const chosen = labelDefs(flags.labels);
    from.labels = 'flag';
    if (!sameLabels(chosen, config.labels)) {
      save.labels = chosen;
      const moved = keyChanges(config.labels, chosen);
      if (moved) notices.push(`--labels changes this store's keys: ${moved}.`);
    }
    labels = chosen;
  }

  const names = labels.map((l) => l.name);
  // a target named before the label set is chosen waits for it (the first-run screen); the store's keeps its spelling
  const askedTarget = flags.target ?? config.target;
  const target = askedTarget && names.length ? (flags.target ? requireLabel(names, flags.target, '--target') : findLabel(names, askedTarget)) : askedTarget;
  from.target = flags.target ? 'flag' : config.target ? 'store' : 'default';
  if (target !== config.target && (flags.target || save.labels)) {
    save.target = target;
    if (flags.target && config.target && target) saved.push(`--target ${target} (was ${config.target})`);
  }

  if (saved.length) notices.unshift(`Saved as this store's setting for later runs: ${saved.join(', ')}.`);
  return { values: { clip, context, annotator, target, labels }, from, save, notices };
}

/** A label set as typed: each name once (whatever its case), and no more than hark has keys for. */
export function labelNamesProblem(names: readonly string[]): string | undefined {
  if (!names.length) return 'give at least one label, e.g. "Music,Speech,Tone"';
  const seen = new Map<string, string>();
  for (const name of names) {
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) return first === name ? `names "${name}" twice` : `names "${first}" and "${name}", which differ only in case`;
    seen.set(name.toLowerCase(), name);
  }
  if (names.length > MAX_LABELS) return `names ${names.length} labels; hark has keys for ${MAX_LABELS}`;
  return undefined;
}

/** Label names with hark's keys, in order: 1-9, then free letters. */
export function labelDefs(names: readonly string[]): LabelDef[] {
  const keys = defaultLabelKeys(names.length);
  return names.map((name, i) => ({ name, key: keys[i] ?? '' }));
}

function sameLabels(a: readonly LabelDef[], b: readonly LabelDef[]): boolean {
  return a.length === b.length && a.every((l, i) => l.name === b[i].name && l.key === b[i].key);
}

/** "Speech 2 → 1, Music 1 → 2, Tone loses key 3": what a user's fingers would get wrong; undefined when nothing moved. */
function keyChanges(before: readonly LabelDef[], after: readonly LabelDef[]): string | undefined {
  const changes: string[] = [];
  for (const old of before) {
    const now = after.find((l) => l.name === old.name);
    if (!now) changes.push(`${old.name} loses key ${keyName(old.key)}`);
    else if (now.key !== old.key) changes.push(`${old.name} ${keyName(old.key)} → ${keyName(now.key)}`);
  }
  return changes.length ? changes.join(', ') : undefined;
}
