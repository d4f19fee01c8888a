/**
 * Recordings as lines of text, time running across, each label a run of its own colour (or its own letter where
 * colour cannot be shown). One scale for every line, so a longer recording draws a longer line.
 */
import type { ColorMode } from './color-mode.js';
import { formatClock } from './time-format.js';

export interface TimelineSpan {
  start: number;
  end: number;
  label: string;
}

export interface TimelineRow {
  name: string;
  duration: number;
  spans: readonly TimelineSpan[];
}

export interface TimelineOptions {
  /** total width in columns, names included */
  width: number;
  color: ColorMode;
}

// 256-colour palette entries far apart in hue, readable on dark and light backgrounds
const PALETTE = [33, 208, 34, 163, 178, 37, 160, 99];
const EMPTY = '·';

/** The legend, one line per recording, and a time axis; no line is wider than `width`. */
export function renderTimeline(rows: readonly TimelineRow[], opts: TimelineOptions): string[] {
  const labels = [...new Set(rows.flatMap((r) => r.spans.map((s) => s.label)))].sort();
  const marks = labelMarks(labels);
  const paint = (label: string, text: string) => {
    if (!opts.color) return text;
    return `\x1b[38;5;${PALETTE[labels.indexOf(label) % PALETTE.length]}m${text}\x1b[39m`;
  };
  const width = Math.max(opts.width, 20);
  const nameWidth = Math.min(Math.max(4, ...rows.map((r) => r.name.length)), Math.floor(width * 0.35));
  const cells = width - nameWidth - 1;
  const longest = Math.max(1e-9, ...rows.map((r) => r.duration));
  const perCell = longest / cells;
  const legend = labels.map((l) => `${paint(l, opts.color ? '█' : marks.get(l)!)} ${l}`);
  const lines = [fitLegend(legend, labels, width)];
  for (const row of rows) {
    const covered = Math.min(cells, Math.ceil(row.duration / perCell - 1e-9));
    const cellLabels = Array.from({ length: covered }, (_, c) => mostOf(row.spans, c * perCell, (c + 1) * perCell));
    let bar = '';
    for (let c = 0; c < covered; ) {
      const label = cellLabels[c];
      let run = 1;
      while (c + run < covered && cellLabels[c + run] === label) run++;
      bar += label === undefined ? EMPTY.repeat(run) : paint(label, (opts.color ? '█' : marks.get(label)!).repeat(run));
      c += run;
    }
    lines.push(`${fitName(row.name, nameWidth)} ${bar}`.trimEnd());
  }
  const end = formatClock(longest);
  lines.push(`${' '.repeat(nameWidth + 1)}0:00:00${end.padStart(cells - 7)}`.slice(0, width));
  return lines;
}

/** The label covering most of [from, to), or undefined when none touches it. */
function mostOf(spans: readonly TimelineSpan[], from: number, to: number): string | undefined {
  const cover = new Map<string, number>();
  for (const s of spans) {
    const overlap = Math.min(s.end, to) - Math.max(s.start, from);
    if (overlap > 0) cover.set(s.label, (cover.get(s.label) ?? 0) + overlap);
  }
  let best: string | undefined;
  for (const [label, seconds] of cover) if (best === undefined || seconds > cover.get(best)!) best = label;
  return best;
}

/** One character per label: its initial, else another of its letters, else a digit, never one taken. */
function labelMarks(labels: readonly string[]): Map<string, string> {
  const taken = new Set([EMPTY]);
  const marks = new Map<string, string>();
  for (const label of labels) {
    const letters = [...label.toUpperCase()].filter((ch) => /\p{L}|\p{N}/u.test(ch));
    const mark = [...letters, ...'123456789#%&@+='].find((ch) => !taken.has(ch)) ?? '?';
    taken.add(mark);
    marks.set(label, mark);
  }
  return marks;
}

/** The end of a path tells recordings apart better than its start: cut from the left. */
function fitName(name: string, width: number): string {
  return name.length <= width ? name.padEnd(width) : `…${name.slice(name.length - width + 1)}`;
}

function fitLegend(entries: string[], labels: readonly string[], width: number): string {
  let line = '';
  let visible = 0;
  for (const [i, entry] of entries.entries()) {
    const length = 2 + labels[i].length + (i ? 2 : 0);
    if (visible + length > width) break;
    line += (i ? '  ' : '') + entry;
    visible += length;
  }
  return line;
}
