import { InvalidArgumentError } from '@commander-js/extra-typings';
import { defaultStoreDir } from '../collection/open-collection.js';
import { ALL_PLAYER_MODES, isPlayerMode } from '../audio/player/index.js';

/** Parsers for option values: commander names the option and the value, these say what is wrong with it. */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

export function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number, 0 or more');
  return n;
}

export function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a share from 0 to 1, e.g. 0.05');
  return n;
}

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number, 1-65535');
  return n;
}

/** For an option that may be repeated: every value, in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

export const STORE_HELP = `store folder (labels, config, caches); default for a media folder M: ${defaultStoreDir('M').replace(/M-[0-9a-f]+$/, 'M-<hash>')}`;

export function playerMode(value: string): string {
  if (!isPlayerMode(value)) throw new InvalidArgumentError(`use one of ${ALL_PLAYER_MODES.join(', ')}`);
  return value;
}
