/**
 * The search query language, parsed by hand into a small tree. Pure: no store, no database.
 *
 *   query     := or
 *   or        := and ('or' and)*
 *   and       := unary ('and' unary)*
 *   unary     := 'not' unary | '(' or ')' | field | label
 *   field     := NAME op VALUE                 folder ~ "The_World", date >= 2017-06, title ~ news
 *   label     := (WORD+ | "quoted") qualifier*  Music > 30s, Carol Hills total > 5m, Tone in first 80s
 *   qualifier := cmp DURATION | 'total' cmp DURATION | 'in' ('first'|'last') DURATION | 'in' DURATION 'to' DURATION
 *              | 'by' ('person' | 'model' | NAME)
 */

export type Comparison = '>' | '>=' | '<' | '<=';
export type FieldOp = Comparison | '=' | '!=' | '~';

/** A condition on a recording's metadata (or, for `annotator`, on who labeled something in it). */
export interface FieldCondition {
  type: 'field';
  field: string;
  op: FieldOp;
  value: string;
  /** column (1-based) of the field name and of the value, for messages */
  at: number;
  valueAt: number;
}

/** A span of time: `first 80s`, `last 5m` or `1m to 2m` (seconds from the recording's start). */
export type TimeWindow = { from: 'start'; seconds: number } | { from: 'end'; seconds: number } | { from: 'between'; start: number; end: number };

export type Source = { by: 'person' } | { by: 'model' } | { by: 'annotator'; annotator: string };

/** Something a person labeled or the model found: a label, maybe with a length, a total, a time window, a source. */
export interface LabelCondition {
  type: 'label';
  label: string;
  at: number;
  length?: { op: Comparison; seconds: number };
  total?: { op: Comparison; seconds: number };
  window?: TimeWindow;
  source?: Source;
}

export type QueryNode =
  | { type: 'or'; items: QueryNode[] }
  | { type: 'and'; items: QueryNode[] }
  | { type: 'not'; item: QueryNode }
  | FieldCondition
  | LabelCondition;

/** A query that cannot be read: what is wrong, and the column (1-based) where it is. */
export class QueryError extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(`column ${column}: ${reason}`);
  }
}

/** One line saying where and why, then the query with a caret under that place. */
export function explainQueryError(query: string, err: QueryError): string {
  return `cannot read the query at column ${err.column}: ${err.reason}\n  ${query}\n  ${' '.repeat(err.column - 1)}^`;
}

/** Fields of every recording; any other name before `=`, `!=` or `~` is one of the container's tags. */
export const BUILTIN_FIELDS = ['folder', 'file', 'path', 'duration', 'format', 'date', 'annotator', 'run'] as const;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'by', 'total', 'first', 'last', 'to']);

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'op'; text: FieldOp; at: number }
  | { kind: '(' | ')'; at: number }
  | { kind: 'end'; at: number };

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    const at = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, at });
      i++;
    } else if (c === '"' || c === "'") {
      const close = query.indexOf(c, i + 1);
      if (close < 0) throw new QueryError(`the quote ${c} is never closed`, at);
      tokens.push({ kind: 'string', text: query.slice(i + 1, close), at });
      i = close + 1;
    } else if ('<>=!~'.includes(c)) {
      const two = query.slice(i, i + 2);
      const op = ['>=', '<=', '!='].includes(two) ? two : c;
      if (op === '!') throw new QueryError('"!" on its own means nothing: use != or not', at);
      tokens.push({ kind: 'op', text: op as FieldOp, at });
      i += op.length;
    } else {
      const m = /^[^\s()"'<>=!~]+/.exec(query.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], at });
      i += m[0].length;
    }
  }
  tokens.push({ kind: 'end', at: query.length + 1 });
  return tokens;
}

export function parseQuery(query: string): QueryNode {
  const tokens = tokenize(query);
  if (tokens.length === 1) throw new QueryError('the query is empty: name a label (Music) or a field (folder ~ news)', 1);
  let pos = 0;
  const peek = () => tokens[pos];
  const isKeyword = (t: Token, word: string) => t.kind === 'word' && t.text.toLowerCase() === word;
  const take = () => tokens[pos++];
  const describe = (t: Token) => (t.kind === 'end' ? 'the end of the query' : t.kind === 'op' || t.kind === 'word' || t.kind === 'string' ? `"${t.text}"` : `"${t.kind}"`);

  const joined = (word: 'and' | 'or', parseItem: () => QueryNode): QueryNode => {
    const items = [parseItem()];
    while (isKeyword(peek(), word)) {
      take();
      items.push(parseItem());
    }
    return items.length === 1 ? items[0] : { type: word, items };
  };
  const parseOr = (): QueryNode => joined('or', parseAnd);
  const parseAnd = (): QueryNode => joined('and', parseUnary);
  const parseUnary = (): QueryNode => {
    const t = peek();
    if (isKeyword(t, 'not')) {
      take();
      return { type: 'not', item: parseUnary() };
    }
    if (t.kind === '(') {
      take();
      const inner = parseOr();
      const close = take();
      if (close.kind !== ')') throw new QueryError(`expected ")" to close the "(" at column ${t.at}, found ${describe(close)}`, close.at);
      return inner;
    }
    return parseAtom();
  };
  const parseAtom = (): QueryNode => {
    const first = peek();
    if (first.kind === 'string') {
      take();
      return parseQualifiers({ type: 'label', label: first.text, at: first.at });
    }
    if (first.kind !== 'word' || KEYWORDS.has(first.text.toLowerCase())) {
      throw new QueryError(`expected a label or a field, found ${describe(first)}`, first.at);
    }
    const next = tokens[pos + 1];
    const name = first.text.toLowerCase();
    const builtin = (BUILTIN_FIELDS as readonly string[]).includes(name);
    if (next.kind === 'op' && (builtin || ['=', '!=', '~'].includes(next.text))) {
      pos += 2;
      const value = take();
      if (value.kind !== 'word' && value.kind !== 'string') throw new QueryError(`expected a value after "${next.text}", found ${describe(value)}`, value.at);
      return { type: 'field', field: name, op: next.text, value: value.text, at: first.at, valueAt: value.at };
    }
    const words: string[] = [];
    while (peek().kind === 'word' && !KEYWORDS.has((peek() as { text: string }).text.toLowerCase())) words.push((take() as { text: string }).text);
    return parseQualifiers({ type: 'label', label: words.join(' '), at: first.at });
  };
  const parseQualifiers = (label: LabelCondition): LabelCondition => {
    for (;;) {
      const t = peek();
      if (t.kind === 'op') {
        if (label.length) throw new QueryError(`${label.label} already has a length condition`, t.at);
        take();
        label.length = { op: comparison(t), seconds: parseDuration(take()) };
      } else if (isKeyword(t, 'total')) {
        take();
        const op = take();
        if (op.kind !== 'op') throw new QueryError(`expected > or < after "total", found ${describe(op)}`, op.at);
        label.total = { op: comparison(op), seconds: parseDuration(take()) };
      } else if (isKeyword(t, 'in')) {
        take();
        label.window = parseWindow();
      } else if (isKeyword(t, 'by')) {
        take();
        const who = take();
        if (who.kind !== 'word' && who.kind !== 'string') throw new QueryError(`expected person, model or a name after "by", found ${describe(who)}`, who.at);
        const w = who.text.toLowerCase();
        label.source = w === 'person' || w === 'people' ? { by: 'person' } : w === 'model' ? { by: 'model' } : { by: 'annotator', annotator: who.text };
      } else {
        return label;
      }
    }
  };
  const parseWindow = (): TimeWindow => {
    const t = peek();
    if (isKeyword(t, 'first') || isKeyword(t, 'last')) {
      take();
      return { from: (t as { text: string }).text.toLowerCase() === 'first' ? 'start' : 'end', seconds: parseDuration(take()) };
    }
    const start = parseDuration(take());
    const to = take();
    if (!isKeyword(to, 'to')) throw new QueryError(`expected "to" in a time span like "in 1m to 2m", found ${describe(to)}`, to.at);
    const endToken = peek();
    const end = parseDuration(take());
    if (end <= start) throw new QueryError('the span ends before it starts', endToken.at);
    return { from: 'between', start, end };
  };
  const comparison = (t: Token): Comparison => {
    const op = (t as { text: FieldOp }).text;
    if (op === '=' || op === '!=' || op === '~') throw new QueryError(`a label is compared by its length with > or <, not "${op}" (e.g. Music > 30s)`, t.at);
    return op;
  };
  const parseDuration = (t: Token): number => {
    const seconds = t.kind === 'word' ? durationSeconds(t.text) : undefined;
    if (seconds === undefined) throw new QueryError(`expected a length of time like 30s, 5m or 1h, found ${describe(t)}`, t.at);
    return seconds;
  };

  const tree = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') {
    const hint = rest.kind === ')' ? 'a ")" without its "("' : `${describe(rest)}: join conditions with and / or`;
    throw new QueryError(`unexpected ${hint}`, rest.at);
  }
  return tree;
}

const UNIT_SECONDS: Record<string, number> = { h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600, m: 60, min: 60, mins: 60, s: 1, sec: 1, secs: 1, '': 1 };

/** `80s`, `5m`, `1h30m`, `90`, `1:30`, `1:02:03` in seconds; undefined when it is not a length of time. */
export function durationSeconds(text: string): number | undefined {
  const t = text.toLowerCase();
  if (/^\d+(:\d{1,2}(\.\d+)?){1,2}$/.test(t)) return t.split(':').reduce((s, part) => s * 60 + Number(part), 0);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)([a-z]*)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== t) return undefined;
  let total = 0;
  for (const [, n, unit] of parts) {
    if (!(unit in UNIT_SECONDS)) return undefined;
    total += Number(n) * UNIT_SECONDS[unit];
  }
  return total;
}

/** `2017`, `2017-06`, `2017-06-22`, `20170622` as the first and last day they cover (YYYY-MM-DD); undefined otherwise. */
export function dateSpan(text: string): { first: string; last: string } | undefined {
  const m = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (mo && !(Number(mo) >= 1 && Number(mo) <= 12)) return undefined;
  if (!mo) return { first: `${y}-01-01`, last: `${y}-12-31` };
  const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (d && !(Number(d) >= 1 && Number(d) <= days)) return undefined;
  return d ? { first: `${y}-${mo}-${d}`, last: `${y}-${mo}-${d}` } : { first: `${y}-${mo}-01`, last: `${y}-${mo}-${String(days).padStart(2, '0')}` };
}
