/** One annotator of a store as the labeling screen shows them. */
export interface TeamMember {
  name: string;
  labels: number;
  /** labeling (or importing) in this store right now */
  active: boolean;
}

/** The screen's line about the others on a store: who is labeling now and how many labels each has. */
export function teamLine(members: readonly TeamMember[], me: string): string | undefined {
  const others = members.filter((m) => m.name !== me);
  if (others.length === 0) return undefined;
  const mine = members.find((m) => m.name === me)?.labels ?? 0;
  const shown = [...others].sort((a, b) => Number(b.active) - Number(a.active) || b.labels - a.labels || a.name.localeCompare(b.name));
  const now = shown.filter((m) => m.active).map((m) => `${m.name} ${m.labels}`);
  const before = shown.filter((m) => !m.active).map((m) => `${m.name} ${m.labels}`);
  return [`you ${mine}`, now.length ? `labeling now: ${now.join(', ')}` : '', before.length ? `earlier: ${before.join(', ')}` : ''].filter(Boolean).join(' · ');
}
