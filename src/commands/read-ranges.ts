import { readFileSync } from 'node:fs';
import type { LabeledRange } from '../ml/evaluate.js';
import { parseTruthCsv } from '../ml/truth.js';
import { UserError } from './user-error.js';

/** Reads a file,start,end,label CSV (a ground truth, or apply's ranges); `what` names it in error messages. */
export function readRanges(path: string, what: string): LabeledRange[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`Cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return parseTruthCsv(text);
  } catch (err) {
    throw new UserError(`Cannot use ${what} ${path}: ${(err as Error).message}`);
  }
}
