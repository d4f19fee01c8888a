import { UserError } from './user-error.js';

/** One decision a person (or the simulation oracle) made about one clip. */
export interface LabelRecord {
  id: string;
  /** path relative to the media root, with forward slashes */
  file: string;
  /** seconds from the start of the file */
  start: number;
  /** seconds */
  duration: number;
  /** the label name; for kind 'unsure' it is NOT_SURE, for 'skip' it is SKIPPED */
  label: string;
  /**
   * every label of a clip that holds more than one sound (music under speech), `label` first; absent when the clip
   * has one label, so stores written before it read as they were and older harks still see the first label
   */
  labels?: string[];
  kind: 'label' | 'unsure' | 'skip';
  annotator: string;
  /** ISO-8601 time the decision was made */
  time: string;
  /**
   * why the clip was shown: 'random', 'likely', 'uncertain', 'similar', 'explore', 'review', 'import', 'oracle', or
   * 'example' for a moment the user gave as an example of the target (hark label --example)
   */
  how: string;
  strategy?: string;
  score?: number;
  modelVersion?: number;
  /** probability that this clip was drawn by the random strategy (for unbiased estimates) */
  drawProbability?: number;
  /**
   * true when the random strategy drew this clip with unequal chances, more often where the model scored the target
   * high: drawProbability is then that draw's chance among the clips not yet decided, and the recall estimate
   * weights the answer by it
   */
  weighted?: boolean;
  /**
   * true when the random strategy drew this clip after another strategy had it labeled: the answer joins the
   * random sample behind the recall estimate without the clip being shown twice
   */
  sampled?: boolean;
}

/** Every label a decision gives its clip: `labels` when it names several, else the one `label`. */
export function labelsOf(r: Pick<LabelRecord, 'label' | 'labels'>): readonly string[] {
  return r.labels && r.labels.length > 0 ? r.labels : [r.label];
}

/** The fields a decision with these labels stores: the first as `label`, and `labels` only when there are several. */
export function labelFields(labels: readonly string[]): Pick<LabelRecord, 'label' | 'labels'> {
  const distinct = [...new Set(labels)];
  return distinct.length > 1 ? { label: distinct[0], labels: distinct } : { label: distinct[0] };
}
/** `how` of a label the user gave as an example of the target: a positive for the model, never a random draw. */
export const EXAMPLE_HOW = 'example';

/**
 * One row per label: a clip that holds two sounds (labels Host and Music) is two rows, each with one label and the
 * decision's id, as every format here (and every tool reading them) expects one label per row.
 */
export function onePerLabel(records: readonly LabelRecord[]): LabelRecord[] {
  return records.flatMap((r) => {
    if (!r.labels) return [r];
    const { labels: _, ...one } = r;
    return labelsOf(r).map((label) => ({ ...one, label }));
  });
}

/** Whether a decision belongs to the uniform random sample that recall estimates are made from. */
export function inRandomSample(r: Pick<LabelRecord, 'how' | 'sampled'>): boolean {
  return r.how === 'random' || r.sampled === true;
}

/** The label a user meant by `name`: the same name, or the only one that differs from it in case alone. */
export function findLabel(names: readonly string[], name: string): string | undefined {
  if (names.includes(name)) return name;
  const alike = names.filter((n) => n.toLowerCase() === name.toLowerCase());
  return alike.length === 1 ? alike[0] : undefined;
}

/** The labels of `known` that `wanted` names (see findLabel), and the names that match none. */
export function findLabels(known: readonly string[], wanted: readonly string[]): { found: string[]; missing: string[] } {
  const found: string[] = [];
  const missing: string[] = [];
  for (const name of wanted) {
    const label = findLabel(known, name);
    if (label) found.push(label);
    else missing.push(name);
  }
  return { found, missing };
}

/**
 * How every command checks a --target or --label: the labels of `known` that `wanted` names (see findLabel), or a
 * one-line refusal that lists the labels there are. `among` says which labels `known` holds.
 */
export function requireLabels(known: readonly string[], wanted: readonly string[], flag: string, among = 'the labels'): string[] {
  const { found, missing } = findLabels(known, wanted);
  if (missing.length) {
    const there = known.length ? `${among}: ${known.join(', ')}` : `${among}, and there are none yet`;
    throw new UserError(`${flag} ${missing.join(', ')} is not one of ${there}.`);
  }
  return found;
}

export function requireLabel(known: readonly string[], wanted: string, flag: string, among?: string): string {
  return requireLabels(known, [wanted], flag, among)[0];
}

export type DecisionKind = LabelRecord['kind'];

export const NOT_SURE = 'Not Sure';
export const SKIPPED = 'Skipped';

export interface LabelDef {
  name: string;
  key: string;
}
