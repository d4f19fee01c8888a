import { spawn } from 'node:child_process';

export class MediaError extends Error {}

/** Runs an ffmpeg-family tool and collects stdout; rejects with the tool's own last error line. */
export function runTool(tool: 'ffmpeg' | 'ffprobe', args: string[], timeoutMs = 60_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new MediaError(
          err.code === 'ENOENT' ? `${tool} is not installed (install ffmpeg: sudo apt-get install ffmpeg)` : err.message,
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(chunks));
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs / 1000} s` : lastLine(stderr) || `exit ${code}`;
      reject(new MediaError(why));
    });
  });
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
