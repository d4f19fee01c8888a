/**
 * A parsed query as parameterised SQL over the search index (see search-index.ts for the tables). Every value from
 * the query travels as a parameter; only names from fixed tables here reach the SQL text, so a query string can
 * never run SQL of its own.
 *
 * Meaning: the query is a condition on each recording. A label condition holds when the recording has a span of
 * that label (from a person's labels or the model's ranges) meeting its qualifiers; `not X` holds when it has none;
 * `total` is the time the matching spans cover in the recording, overlaps counted once. The hits shown are the spans
 * of the label conditions that are not negated, in the recordings that meet the whole query.
 */
import { findLabel } from '../domain/labels.js';
import { dateSpan, durationSeconds, QueryError, type Comparison, type FieldCondition, type LabelCondition, type QueryNode, type TimeWindow } from './query-parser.js';

export type SqlValue = string | number;

export interface Sql {
  text: string;
  params: SqlValue[];
}

export interface QueryContext {
  /** every label in the store's labels and in apply's ranges */
  labels: readonly string[];
  /** every container tag key found in the collection (lower case) */
  tags: readonly string[];
}

export interface CompiledQuery {
  /** condition on `recordings r` */
  where: Sql;
  /** condition on `spans s` joined with its recording `d`: the spans to show; undefined when no label condition is positive */
  hits?: Sql;
  /** the recording fields the query names, to show beside each hit (tags by their key) */
  fields: string[];
}

const TEXT_COLUMNS: Record<string, string> = { folder: 'r.folder', file: 'r.name', path: 'r.path' };

export function compileQuery(tree: QueryNode, context: QueryContext): CompiledQuery {
  const hitParts: Sql[] = [];
  const fields: string[] = [];
  const walk = (node: QueryNode, positive: boolean): Sql => {
    switch (node.type) {
      case 'and':
      case 'or': {
        const parts = node.items.map((item) => walk(item, positive));
        return join(parts, node.type === 'and' ? ' AND ' : ' OR ');
      }
      case 'not': {
        const inner = walk(node.item, !positive);
        return { text: `NOT (${inner.text})`, params: inner.params };
      }
      case 'field': {
        if (node.field !== 'annotator' && !fields.includes(node.field)) fields.push(node.field);
        if (node.field === 'annotator') {
          const span = annotatorSpan(node);
          if (positive) hitParts.push(span);
          return exists(span, 'spans s');
        }
        return fieldCondition(node, context);
      }
      case 'label': {
        const label = resolveLabel(node, context);
        const span = spanCondition(label, node);
        if (positive) hitParts.push(span);
        return node.total ? totalCondition(node, node.total, span) : exists(span, spansOf(node));
      }
    }
  };
  const where = walk(tree, true);
  return { where, hits: hitParts.length ? join(hitParts, ' OR ') : undefined, fields };
}

function resolveLabel(node: LabelCondition, context: QueryContext): string {
  const label = findLabel(context.labels, node.label);
  if (label) return label;
  const known = context.labels.length ? `labels here: ${context.labels.join(', ')}` : 'this store has no labels or ranges yet';
  throw new QueryError(`no label called "${node.label}" (${known})`, node.at);
}

/** The spans a label condition is about: that label, from that source, overlapping the window, long enough. */
function spanCondition(label: string, node: LabelCondition): Sql {
  const parts: Sql[] = [{ text: 's.label = ?', params: [label] }];
  if (node.source?.by === 'person' || node.source?.by === 'annotator') parts.push({ text: "s.source = 'person'", params: [] });
  if (node.source?.by === 'model') parts.push({ text: "s.source = 'model'", params: [] });
  if (node.source?.by === 'annotator') parts.push({ text: 'lower(s.annotator) = ?', params: [node.source.annotator.toLowerCase()] });
  if (node.window) {
    const { lo, hi } = bounds(node.window);
    parts.push({ text: `s.stop > ${lo.text} AND s.start < ${hi.text}`, params: [...lo.params, ...hi.params] });
  }
  if (node.length) {
    const length = clippedLength(node.window);
    parts.push({ text: compare(length.text, node.length.op), params: [...length.params, node.length.seconds] });
  }
  return join(parts, ' AND ');
}

function annotatorSpan(node: FieldCondition): Sql {
  return { text: `s.source = 'person' AND ${textCondition('s.annotator', node)}`, params: [node.value.toLowerCase()] };
}

// Each condition is a set of recordings found in one pass over the spans (an uncorrelated IN, which both engines
// run as a hash semi-join); a correlated EXISTS per recording took DuckDB 3-12 s on 5 million spans.
function exists(span: Sql, from: string): Sql {
  return { text: `r.path IN (SELECT s.recording FROM ${from} WHERE ${span.text})`, params: span.params };
}

function readsPieces(node: LabelCondition): boolean {
  return !node.source && !node.length;
}

/**
 * What a label condition reads: a label narrowed at most by a window is found as well in the index's pieces (they
 * cover the same time as its spans, in about a third fewer rows); a window counted from the end needs the length of
 * the span's recording `d`.
 */
function spansOf(node: LabelCondition): string {
  const table = readsPieces(node) ? 'pieces s' : 'spans s';
  return node.window?.from === 'end' ? `${table} JOIN recordings d ON d.path = s.recording` : table;
}

/**
 * The time the matching spans cover per recording, compared with `total`; a recording with none has 0 s. Spans
 * overlap (a person's label inside the model's range, the same music found by two apply runs), so time is counted
 * once: from the index's disjoint pieces of each label when only a window narrows the label, else by sorting the
 * matching spans by start and adding what lies past the furthest end so far.
 */
function totalCondition(node: LabelCondition, total: { op: Comparison; seconds: number }, span: Sql): Sql {
  const { window } = node;
  const above = total.op === '>' || total.op === '>=';
  const opposite: Record<Comparison, Comparison> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
  const compared = above ? total.op : opposite[total.op];
  const from = spansOf(node);
  if (readsPieces(node)) {
    // pieces do not overlap: their lengths add up
    const length = clippedLength(window);
    return {
      text: `r.path ${above ? '' : 'NOT '}IN (SELECT s.recording FROM ${from} WHERE ${span.text} GROUP BY s.recording HAVING SUM(${length.text}) ${compared} ?)`,
      params: [...span.params, ...length.params, total.seconds],
    };
  }
  const { lo, hi } = clippedBounds(window);
  const clipped = `SELECT s.recording, ${lo.text} AS lo, ${hi.text} AS hi FROM ${from} WHERE ${span.text}`;
  const reach = `SELECT recording, lo, hi, MAX(hi) OVER (PARTITION BY recording ORDER BY lo, hi ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM (${clipped})`;
  const uncovered = 'CASE WHEN reach IS NULL OR reach <= lo THEN hi - lo WHEN reach >= hi THEN 0 ELSE hi - reach END';
  return {
    text: `r.path ${above ? '' : 'NOT '}IN (SELECT recording FROM (${reach}) GROUP BY recording HAVING SUM(${uncovered}) ${compared} ?)`,
    params: [...lo.params, ...hi.params, ...span.params, total.seconds],
  };
}

/** The window's start and end in seconds, as SQL over the span's recording `d`. */
function bounds(window: TimeWindow): { lo: Sql; hi: Sql } {
  if (window.from === 'start') return { lo: { text: '0', params: [] }, hi: { text: '?', params: [window.seconds] } };
  if (window.from === 'end') return { lo: { text: '(d.duration - ?)', params: [window.seconds] }, hi: { text: 'd.duration', params: [] } };
  return { lo: { text: '?', params: [window.start] }, hi: { text: '?', params: [window.end] } };
}

/** A span's start and end inside the window (all of it without one). */
function clippedBounds(window: TimeWindow | undefined): { lo: Sql; hi: Sql } {
  if (!window) return { lo: { text: 's.start', params: [] }, hi: { text: 's.stop', params: [] } };
  const { lo, hi } = bounds(window);
  return {
    lo: { text: `(CASE WHEN s.start > ${lo.text} THEN s.start ELSE ${lo.text} END)`, params: [...lo.params, ...lo.params] },
    hi: { text: `(CASE WHEN s.stop < ${hi.text} THEN s.stop ELSE ${hi.text} END)`, params: [...hi.params, ...hi.params] },
  };
}

/** A span's length inside the window. */
function clippedLength(window: TimeWindow | undefined): Sql {
  const { lo, hi } = clippedBounds(window);
  return { text: `(${hi.text} - ${lo.text})`, params: [...hi.params, ...lo.params] };
}

function fieldCondition(node: FieldCondition, context: QueryContext): Sql {
  const { field, op } = node;
  if (field in TEXT_COLUMNS) return { text: textCondition(TEXT_COLUMNS[field], node), params: [node.value.toLowerCase()] };
  if (field === 'format') {
    const positive = { ...node, op: op === '!=' ? '=' : op } as const;
    const either = `(${textCondition('r.format', positive)} OR ${textCondition('r.codec', positive)})`;
    return { text: op === '!=' ? `NOT ${either}` : either, params: [node.value.toLowerCase(), node.value.toLowerCase()] };
  }
  if (field === 'duration') {
    const seconds = durationSeconds(node.value);
    if (seconds === undefined) throw new QueryError(`expected a length of time like 30s, 5m or 1h, found "${node.value}"`, node.valueAt);
    if (op === '~') throw new QueryError('compare duration with <, >, = (e.g. duration > 1h)', node.at);
    return { text: op === '=' ? 'abs(r.duration - ?) < 0.5' : op === '!=' ? 'abs(r.duration - ?) >= 0.5' : compare('r.duration', op), params: [seconds] };
  }
  if (field === 'date') return dateCondition(node);
  if (!context.tags.includes(field)) {
    const known = context.tags.length ? `tags here: ${context.tags.join(', ')}` : 'no recording here has tags';
    throw new QueryError(`"${field}" is not a field (${['folder', 'file', 'path', 'duration', 'format', 'date', 'annotator'].join(', ')}) nor a tag (${known})`, node.at);
  }
  if (op !== '=' && op !== '~' && op !== '!=') throw new QueryError(`compare a tag with = or ~ (e.g. ${field} ~ news)`, node.at);
  const has = `r.path IN (SELECT t.recording FROM tags t WHERE t.key = ? AND ${textCondition('t.value', { ...node, op: op === '!=' ? '=' : op })})`;
  return { text: op === '!=' ? `NOT (${has})` : has, params: [field, node.value.toLowerCase()] };
}

/** Case-insensitive: `=` equal, `!=` different, `~` contains. The value is one parameter, already lower case. */
function textCondition(column: string, node: Pick<FieldCondition, 'op' | 'field' | 'at'>): string {
  if (node.op === '=') return `lower(${column}) = ?`;
  if (node.op === '!=') return `lower(${column}) <> ?`;
  if (node.op === '~') return `instr(lower(${column}), ?) > 0`;
  throw new QueryError(`${node.field} is text: compare it with = (equal) or ~ (contains)`, node.at);
}

/**
 * A recording's date is a span of days (a year alone in a tag covers the year) and so is the query's value:
 * `=` overlaps, `>=` reaches at least its first day, `>` lies after its last day, and the same below.
 */
function dateCondition(node: FieldCondition): Sql {
  const span = dateSpan(node.value);
  if (!span) throw new QueryError(`expected a date like 2017, 2017-06 or 2017-06-22, found "${node.value}"`, node.valueAt);
  switch (node.op) {
    case '=':
      return { text: 'r.date_first <= ? AND r.date_last >= ?', params: [span.last, span.first] };
    case '!=':
      return { text: '(r.date_last < ? OR r.date_first > ?)', params: [span.first, span.last] };
    case '>=':
      return { text: 'r.date_last >= ?', params: [span.first] };
    case '>':
      return { text: 'r.date_last > ?', params: [span.last] };
    case '<=':
      return { text: 'r.date_first <= ?', params: [span.last] };
    case '<':
      return { text: 'r.date_first < ?', params: [span.first] };
    case '~':
      throw new QueryError('compare date with =, <, > (e.g. date >= 2017-06)', node.at);
  }
}

function compare(left: string, op: Comparison): string {
  return `${left} ${op} ?`;
}

function join(parts: Sql[], glue: string): Sql {
  return { text: parts.map((p) => `(${p.text})`).join(glue), params: parts.flatMap((p) => p.params) };
}

