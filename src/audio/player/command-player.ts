import { spawn, type ChildProcess } from 'node:child_process';
import { DeviceHandoff, type Playing } from './device-handoff.js';
import { trackLastLine } from './last-line.js';
import { StatusFeed } from './status-feed.js';
import type { Player, StatusListener } from './types.js';

/** A command-line player fed raw signed 16-bit little-endian mono samples on stdin. */
export interface PlayerCommand {
  mode: string;
  command: string;
  args(sampleRate: number): string[];
  /** ffplay exits 0 even when it cannot open the audio device; then anything it prints means failure */
  exitsZeroOnFailure?: boolean;
}

export const PLAYER_COMMANDS: readonly PlayerCommand[] = [
  { mode: 'aplay', command: 'aplay', args: (rate) => ['-q', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', `${rate}`, '-'] },
  { mode: 'paplay', command: 'paplay', args: (rate) => ['--raw', '--format=s16le', '--channels=1', `--rate=${rate}`] },
  {
    mode: 'ffplay',
    command: 'ffplay',
    args: (rate) =>
      ['-nodisp', '-autoexit', '-loglevel', 'error', '-f', 's16le', '-sample_rate', `${rate}`, '-ch_layout', 'mono', '-i', 'pipe:0'],
    exitsZeroOnFailure: true,
  },
];

const PROBE_TIMEOUT_MS = 3000;

interface Run {
  child: ChildProcess;
  /** resolves to what went wrong, or undefined when the clip played to its end */
  problem: Promise<string | undefined>;
}

function run(spec: PlayerCommand, env: NodeJS.ProcessEnv, pcm: Int16Array, sampleRate: number): Run {
  const child = spawn(spec.command, spec.args(sampleRate), { env, stdio: ['pipe', 'ignore', 'pipe'] });
  const lastLine = trackLastLine(child.stderr);
  child.stdin?.on('error', () => {}); // EPIPE when the player is stopped or dies mid-clip
  child.stdin?.end(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  const problem = new Promise<string | undefined>((resolve) => {
    child.on('error', (err: NodeJS.ErrnoException) =>
      resolve(err.code === 'ENOENT' ? `${spec.command} not found` : `${spec.command}: ${err.message}`),
    );
    child.on('close', (code, signal) => {
      const said = lastLine();
      if (code === 0 && !(spec.exitsZeroOnFailure && said)) resolve(undefined);
      else resolve(`${spec.command} failed: ${said || (signal ? `signal ${signal}` : `exit code ${code}`)}`);
    });
  });
  return { child, problem };
}

/** True when the command exists and plays a moment of silence without complaint. */
export async function commandWorks(spec: PlayerCommand, env: NodeJS.ProcessEnv): Promise<boolean> {
  const { child, problem } = run(spec, env, new Int16Array(320), 16000);
  const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
  const outcome = await problem;
  clearTimeout(timer);
  return outcome === undefined;
}

/** Starts the command afresh for each clip; stopping kills it. */
export class CommandPlayer implements Player {
  readonly mode: string;
  private readonly status: StatusFeed;
  private readonly device = new DeviceHandoff();

  constructor(
    private readonly spec: PlayerCommand,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.mode = spec.mode;
    this.status = new StatusFeed({ mode: this.mode, ok: true });
  }

  play(pcm: Int16Array, sampleRate: number): void {
    if (pcm.length === 0) return this.stop();
    void this.device.replace(() => this.start(pcm, sampleRate));
  }

  stop(): void {
    void this.device.replace();
  }

  onStatus(listener: StatusListener): () => void {
    return this.status.subscribe(listener);
  }

  close(): Promise<void> {
    return this.device.replace();
  }

  private start(pcm: Int16Array, sampleRate: number): Playing {
    const { child, problem } = run(this.spec, this.env, pcm, sampleRate);
    void problem.then((message) => {
      if (child.killed) return; // stopped on purpose
      this.status.set(message ? { mode: this.mode, ok: false, message } : { mode: this.mode, ok: true });
    });
    return {
      stop() {
        child.kill('SIGTERM');
        return problem.then(() => {});
      },
    };
  }
}
