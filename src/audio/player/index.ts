import { UserError } from '../../domain/user-error.js';
import { RawTcpPlayer } from '../remote/raw-tcp-player.js';
import { parseTcpMode } from '../remote/tcp-address.js';
import { TcpPlayer } from '../remote/tcp-player.js';
import { CommandPlayer, PLAYER_COMMANDS, commandWorks } from './command-player.js';
import { SilentPlayer } from './silent-player.js';
import { SpeakerPlayer } from './speaker-player.js';
import type { Player, PlayerMode } from './types.js';

export type { Player, PlayerMode, PlayerStatus } from './types.js';

/** The audio outputs of this machine, in the order 'auto' tries them, then 'none'. */
export const PLAYER_MODES: readonly string[] = ['auto', 'speaker', ...PLAYER_COMMANDS.map((c) => c.mode), 'none'];
/** Every mode --player takes: the local ones and a remote `hark listen` or raw PCM stream. */
export const ALL_PLAYER_MODES: readonly string[] = [...PLAYER_MODES, 'tcp://host:port', 'tcp-raw://host:port'];

/** Whether createPlayer knows the mode. */
export function isPlayerMode(mode: string): boolean {
  return PLAYER_MODES.includes(mode) || parseTcpMode(mode) !== undefined;
}

export interface PlayerOptions {
  /** environment for the player processes (ALSA_CONFIG_PATH, PULSE_SERVER, ...) and HARK_TOKEN for tcp:// */
  env?: NodeJS.ProcessEnv;
}

/**
 * Opens the audio output named by `mode`. 'auto' takes the first that works: the speaker module, then
 * aplay, paplay, ffplay, and finally none (visual only). An explicit mode that does not work still gives a
 * player, whose status says what is wrong. 'tcp://host:port' sends clips to a `hark listen` there (token from
 * HARK_TOKEN); 'tcp-raw://host:port' streams bare 16 kHz s16le mono, for `nc -l port | aplay -f S16_LE -r 16000`.
 */
export async function createPlayer(mode: PlayerMode, opts: PlayerOptions = {}): Promise<Player> {
  const env = opts.env ?? process.env;
  if (mode === 'auto') return detectPlayer(env);
  if (mode === 'none') return new SilentPlayer();
  if (mode === 'speaker') {
    const player = new SpeakerPlayer(env);
    await player.start().catch(() => {}); // the status says why
    return player;
  }
  const command = PLAYER_COMMANDS.find((c) => c.mode === mode);
  if (command) return new CommandPlayer(command, env);
  const tcp = parseTcpMode(mode);
  if (tcp?.raw) return new RawTcpPlayer(tcp.address);
  if (tcp) return new TcpPlayer(tcp.address, env.HARK_TOKEN ?? '');
  throw new UserError(`unknown audio player "${mode}": use one of ${ALL_PLAYER_MODES.join(', ')}`);
}

async function detectPlayer(env: NodeJS.ProcessEnv): Promise<Player> {
  const speaker = new SpeakerPlayer(env);
  try {
    await speaker.start();
    return speaker;
  } catch {
    await speaker.close();
  }
  for (const command of PLAYER_COMMANDS) {
    if (await commandWorks(command, env)) return new CommandPlayer(command, env);
  }
  return new SilentPlayer();
}
