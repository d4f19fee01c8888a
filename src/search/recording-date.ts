/**
 * When a recording was made, as far as its name or its tags say: the first and last day it may be (YYYY-MM-DD).
 * Archive file names often carry the broadcast date (`TheWorld_20170622.mp3`, `2017-06-22 show.wav`); the
 * container's `date` tag (ID3 TDRC, Vorbis DATE) is the fallback, and may hold a year alone.
 */
import { dateSpan } from './query-parser.js';

export interface DateSpan {
  first: string;
  last: string;
}

export function recordingDate(path: string, tags: Readonly<Record<string, string>> = {}): DateSpan | undefined {
  return dateInName(path) ?? dateInTag(tags.date ?? tags.creation_time ?? '');
}

/** A plausible calendar date (1900-2099) in a file name, with or without separators: 20170622, 2017-06-22, 2017_06_22. */
export function dateInName(path: string): DateSpan | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  for (const m of name.matchAll(/(?<!\d)((?:19|20)\d{2})([-_.]?)(\d{2})\2(\d{2})(?!\d)/g)) {
    const span = dateSpan(`${m[1]}-${m[3]}-${m[4]}`);
    if (span) return span;
  }
  return undefined;
}

function dateInTag(tag: string): DateSpan | undefined {
  const m = /^((?:19|20)\d{2})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(tag.trim());
  if (!m) return undefined;
  return dateSpan([m[1], m[2], m[3]].filter(Boolean).join('-'));
}
