import { spawn } from 'node:child_process';
import { MediaError } from './ffmpeg.js';

/** ffmpeg silent this long is taken as hung (a stalled network mount) and stopped. */
const STALL_MS = 60_000;

/**
 * Decodes a whole file to mono float samples at the given rate and hands them over in chunks as ffmpeg produces
 * them, so a multi-hour recording never sits in memory at once.
 */
export function decodeStream(abs: string, sampleRate: number, onSamples: (chunk: Float32Array) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['-v', 'error', '-nostdin', '-i', abs, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let carry: Buffer = Buffer.alloc(0);
    let stalled = false;
    let timer = setTimeout(stall, STALL_MS);
    function stall() {
      stalled = true;
      child.kill('SIGKILL');
    }
    child.stdout.on('data', (data: Buffer) => {
      clearTimeout(timer);
      timer = setTimeout(stall, STALL_MS);
      const bytes = carry.length ? Buffer.concat([carry, data]) : data;
      const whole = bytes.length - (bytes.length % 4);
      carry = bytes.subarray(whole);
      const chunk = new Float32Array(whole / 4);
      new Uint8Array(chunk.buffer).set(bytes.subarray(0, whole));
      onSamples(chunk);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new MediaError(err.code === 'ENOENT' ? 'ffmpeg is not installed (install ffmpeg: sudo apt-get install ffmpeg)' : err.message));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const last = stderr.trim().split('\n').pop()?.trim();
      reject(new MediaError(stalled ? `ffmpeg produced nothing for ${STALL_MS / 1000} s` : last || `ffmpeg exit ${code}`));
    });
  });
}
