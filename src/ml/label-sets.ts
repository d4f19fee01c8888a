/**
 * One example's labels: a name, or every label present when a clip holds more than one sound (music under speech).
 * The model asks of each label "present or not", so a clip labeled Host and Music is a positive for either target.
 */
export type LabelSet = string | readonly string[];

export function namesIn(labels: LabelSet): readonly string[] {
  return typeof labels === 'string' ? [labels] : labels;
}

export function hasLabel(labels: LabelSet, label: string): boolean {
  return typeof labels === 'string' ? labels === label : labels.includes(label);
}

/** A label set's identity: its names, sorted; a single name is itself, so single-label class ids stay as they were. */
export function labelSetKey(labels: LabelSet): string {
  const names = namesIn(labels);
  return names.length === 1 ? names[0] : [...new Set(names)].sort().join('\n');
}

/** The set of these labels as the model keeps it: a single name as itself. */
export function labelSet(names: readonly string[]): LabelSet {
  return names.length === 1 ? names[0] : names;
}
