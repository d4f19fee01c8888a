import { formatClock } from '../format/time-format.js';
import type { LabelRecord } from '../domain/labels.js';
import { onePerLabel } from '../domain/labels.js';
import { groupBy } from '../domain/group-by.js';
import { textTable } from '../format/text-table.js';
import { agreement, type Agreement, type Coding } from '../ml/agreement.js';

export interface LabelCount {
  label: string;
  clips: number;
  /** seconds of audio under this label; overlapping clips count once */
  seconds: number;
}

export interface AnnotatorCount {
  annotator: string;
  labels: number;
  unsure: number;
  skips: number;
}

/** What has been labeled so far. "Labels" are decisions of kind 'label'; "not sure" and skips are counted apart. */
export interface LabelStats {
  labels: number;
  unsure: number;
  skips: number;
  /** seconds of audio under at least one label */
  labeledSeconds: number;
  /** recordings with at least one label */
  recordingsLabeled: number;
  /** recordings in the media folder, or null when it cannot be scanned */
  recordingsTotal: number | null;
  perLabel: LabelCount[];
  perAnnotator: AnnotatorCount[];
  /** how far annotators agree on the clips more than one labeled */
  agreement: Agreement;
}

export function computeStats(records: readonly LabelRecord[], recordingsTotal: number | null): LabelStats {
  const labeled = records.filter((r) => r.kind === 'label');
  const perLabel = [...groupBy(onePerLabel(labeled), (r) => r.label)]
    .map(([label, clips]) => ({ label, clips: clips.length, seconds: coveredSeconds(clips) }))
    .sort((a, b) => b.clips - a.clips || a.label.localeCompare(b.label));
  const perAnnotator = [...groupBy(records, (r) => r.annotator)]
    .map(([annotator, decisions]) => ({
      annotator,
      labels: count(decisions, 'label'),
      unsure: count(decisions, 'unsure'),
      skips: count(decisions, 'skip'),
    }))
    .sort((a, b) => b.labels - a.labels || a.annotator.localeCompare(b.annotator));
  return {
    labels: labeled.length,
    unsure: count(records, 'unsure'),
    skips: count(records, 'skip'),
    labeledSeconds: coveredSeconds(labeled),
    recordingsLabeled: new Set(labeled.map((r) => r.file)).size,
    recordingsTotal,
    perLabel,
    perAnnotator,
    agreement: agreement(codingsOf(records)),
  };
}

/** How hark clips are said to be coded by annotators: a label (not a skip), and not an adjudication of a disagreement. */
export const ADJUDICATED = 'adjudicated';
export function codingsOf(records: readonly LabelRecord[]): Coding[] {
  return records.filter((r) => r.kind === 'label' && r.how !== ADJUDICATED).map((r) => ({ item: clipKey(r), coder: r.annotator, label: r.label }));
}

/** One clip of one recording, as the same clip labeled by several annotators shares it. */
export const clipKey = (r: Pick<LabelRecord, 'file' | 'start'>) => `${r.file}@${r.start}`;

/** Seconds of audio the clips cover, per recording, with overlaps (a clip labeled twice) counted once. */
export function coveredSeconds(records: readonly LabelRecord[]): number {
  let total = 0;
  for (const clips of groupBy(records, (r) => r.file).values()) {
    const spans = clips.map((r) => [r.start, r.start + r.duration]).sort((a, b) => a[0] - b[0]);
    let [from, to] = spans[0];
    for (const [start, end] of spans.slice(1)) {
      if (start > to) {
        total += to - from;
        from = start;
      }
      to = Math.max(to, end);
    }
    total += to - from;
  }
  return total;
}

/** The human-readable report: totals, then a table per label and one per annotator. */
export function formatStats(stats: LabelStats): string {
  const of = stats.recordingsTotal === null ? '' : ` of ${stats.recordingsTotal}`;
  const audio = formatClock(stats.labeledSeconds);
  const lines = [
    `Labels     ${stats.labels} clips, ${audio} of audio, in ${stats.recordingsLabeled}${of} recordings`,
    `Not sure   ${stats.unsure}`,
    `Skipped    ${stats.skips}`,
  ];
  if (stats.perLabel.length > 0) {
    const rows = stats.perLabel.map((l) => [l.label, String(l.clips), formatClock(l.seconds)]);
    lines.push('', ...textTable(['Label', 'Clips', 'Time'], rows));
  }
  if (stats.perAnnotator.length > 0) {
    const rows = stats.perAnnotator.map((a) => [a.annotator, String(a.labels), String(a.unsure), String(a.skips)]);
    lines.push('', ...textTable(['Annotator', 'Labels', 'Not sure', 'Skipped'], rows));
  }
  if (stats.agreement.doubleCoded > 0) lines.push('', ...formatAgreement(stats.agreement));
  return lines.map((line) => `${line}\n`).join('');
}

function formatAgreement(a: Agreement): string[] {
  const figure = (x: number | null) => (x === null ? '–' : x.toFixed(2));
  const pairs = a.pairs.map((p) => [p.coders.join(' / '), String(p.items), `${Math.round(p.observed * 100)}%`, figure(p.kappa)]);
  const labels = Object.keys(a.confusion).sort();
  const confusion = labels.map((l) => [l, ...labels.map((m) => String(a.confusion[l][m] ?? 0))]);
  return [
    `Agreement  ${a.doubleCoded} clips labeled by more than one annotator; Krippendorff's alpha ${figure(a.alpha)}`,
    '',
    ...textTable(['Annotators', 'Clips', 'Same', "Cohen's kappa"], pairs),
    '',
    ...textTable(['Said \\ other said', ...labels], confusion),
  ];
}

function count(records: readonly LabelRecord[], kind: LabelRecord['kind']): number {
  return records.filter((r) => r.kind === kind).length;
}
