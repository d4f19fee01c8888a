import { UserError } from '../domain/user-error.js';
import { spawn } from 'node:child_process';

export class MediaError extends UserError {}

export interface ToolLimits {
  /** kill the tool after this long in all */
  timeoutMs?: number;
  /** kill the tool when it has written nothing for this long (a stalled network mount) */
  stallMs?: number;
}

/** Runs an ffmpeg-family tool, handing over its stdout as it comes; rejects with the tool's own last error line. */
export function streamTool(tool: 'ffmpeg' | 'ffprobe', args: string[], onData: (chunk: Buffer) => void, limits: ToolLimits = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killedFor: string | undefined;
    const killFor = (why: string) => () => {
      killedFor = why;
      child.kill('SIGKILL');
    };
    const total = limits.timeoutMs && setTimeout(killFor(`timed out after ${limits.timeoutMs / 1000} s`), limits.timeoutMs);
    const stallWhy = `${tool} produced nothing for ${(limits.stallMs ?? 0) / 1000} s`;
    let stall = limits.stallMs && setTimeout(killFor(stallWhy), limits.stallMs);
    const stopTimers = () => {
      clearTimeout(total);
      clearTimeout(stall);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (stall) {
        clearTimeout(stall);
        stall = setTimeout(killFor(stallWhy), limits.stallMs);
      }
      onData(chunk);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      stopTimers();
      reject(new MediaError(err.code === 'ENOENT' ? `${tool} is not installed (install ffmpeg: sudo apt-get install ffmpeg)` : err.message));
    });
    child.on('close', (code) => {
      stopTimers();
      if (code === 0) return resolve();
      reject(new MediaError(killedFor ?? (lastLine(stderr) || `${tool} exit ${code}`)));
    });
  });
}

/** Runs an ffmpeg-family tool and collects its stdout. */
export async function runTool(tool: 'ffmpeg' | 'ffprobe', args: string[], timeoutMs = 60_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await streamTool(tool, args, (c) => chunks.push(c), { timeoutMs });
  return Buffer.concat(chunks);
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
