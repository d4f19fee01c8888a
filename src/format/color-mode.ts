/**
 * How the screen may colour: not at all, with the 256-colour palette every xterm-like terminal has, or in 24-bit
 * colour where the terminal says it has it (COLORTERM, which SSH does not pass on by default).
 */
export type ColorMode = false | '256' | 'truecolor';

/** Colour unless NO_COLOR is set or output is not a terminal. */
export function colorMode(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): ColorMode {
  if (env.NO_COLOR || !stream.isTTY || env.TERM === 'dumb') return false;
  return /^(truecolor|24bit)$/i.test(env.COLORTERM ?? '') ? 'truecolor' : '256';
}
