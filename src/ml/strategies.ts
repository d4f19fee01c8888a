import { UserError } from '../domain/user-error.js';

/**
 * The ways a clip can be chosen by the model's queue; 'similar' is asked for explicitly (query by example) or queued
 * first for an example of the target; 'explore' stands in for likely and uncertain until the target has a positive.
 */
export const ARMS = ['likely', 'random', 'uncertain'] as const;
export type Arm = (typeof ARMS)[number];
export type How = Arm | 'similar' | 'explore';

export type Shares = Record<Arm, number>;

export interface Strategy {
  /** as the user wrote it ('mixed', 'random', 'likely:0.5,random:0.4,uncertain:0.1') */
  name: string;
  /** fraction of queued clips each arm chooses; sums to 1 */
  shares: Shares;
}

/**
 * mixed: the likeliest clips (finding targets fast), a steady share of uniform random clips (they find what the
 * model does not yet know and are the only unbiased sample for the recall estimate), and as many of the clips the
 * model is least sure of as it has random ones. Once the likeliest clips are ones the model is already sure of, a
 * label there teaches it little; a label where it is split moves the line between "found" and "not found".
 */
export const MIXED_SHARES: Readonly<Shares> = { likely: 0.4, random: 0.3, uncertain: 0.3 };

export class StrategyError extends UserError {}

/** 'mixed' | 'random' | 'likely' | 'uncertain' | 'arm:share,...' (shares are normalised to sum to 1). */
export function parseStrategy(text = 'mixed'): Strategy {
  const name = text.trim();
  if (name === 'mixed') return { name, shares: { ...MIXED_SHARES } };
  if ((ARMS as readonly string[]).includes(name)) return { name, shares: { likely: 0, random: 0, uncertain: 0, [name]: 1 } };
  const shares: Shares = { likely: 0, random: 0, uncertain: 0 };
  for (const part of name.split(',')) {
    const [arm, value] = part.split(':').map((s) => s.trim());
    const share = Number(value);
    if (!(ARMS as readonly string[]).includes(arm) || value === undefined || !(share >= 0)) {
      throw new StrategyError(`Unknown strategy "${text}": use mixed, random, likely, uncertain, or shares like likely:0.5,random:0.4,uncertain:0.1`);
    }
    shares[arm as Arm] += share;
  }
  const total = ARMS.reduce((s, a) => s + shares[a], 0);
  if (!(total > 0)) throw new StrategyError(`The strategy "${text}" gives every arm a share of 0.`);
  for (const a of ARMS) shares[a] /= total;
  return { name, shares };
}

/**
 * Which arm picks each of the next `count` clips: each time, the arm furthest below its share of all choices
 * so far (`made` counts earlier choices per arm), so the mix stays steady instead of drifting by chance.
 */
export function allocateArms(shares: Shares, made: Record<Arm, number>, count: number): Arm[] {
  const counts = { ...made };
  let total = ARMS.reduce((s, a) => s + counts[a], 0);
  const out: Arm[] = [];
  for (let i = 0; i < count; i++) {
    total++;
    let pick: Arm = ARMS[0];
    let deficit = -Infinity;
    for (const arm of ARMS) {
      const d = shares[arm] * total - counts[arm];
      if (shares[arm] > 0 && d > deficit) {
        pick = arm;
        deficit = d;
      }
    }
    counts[pick]++;
    out.push(pick);
  }
  return out;
}
