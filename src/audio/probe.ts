import { stat } from 'node:fs/promises';
import type { ProbeInfo } from '../domain/media.js';
import { formatClock } from '../format/time-format.js';
import { MediaError, runTool } from './ffmpeg.js';

interface FfprobeJson {
  format?: { duration?: string; tags?: Record<string, string> };
  streams?: { codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string; bit_rate?: string; tags?: Record<string, string> }[];
}

/**
 * ffprobe's duration with its shape and tags (title, artist, date, …), then the duration checked against what decodes: a header can claim far more
 * than the file holds (a truncated MP3 keeps its full frame count; a patched one claimed 9.6 million seconds).
 */
export async function probeMedia(abs: string): Promise<ProbeInfo> {
  let out: Buffer;
  try {
    out = await runTool(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'format=duration:format_tags:stream=codec_type,codec_name,sample_rate,channels,duration,bit_rate:stream_tags', '-of', 'json', abs],
      20_000,
    );
  } catch (err) {
    // ffprobe's words for a file it cannot make sense of ("Invalid argument" for a text file named .mp3)
    if (/Invalid (argument|data found)/.test((err as Error).message)) throw new MediaError('not an audio file');
    throw err;
  }
  const { bitRate, ...info } = parseProbe(out.toString('utf8'));
  if (bitRate && fitsSize(info.duration, bitRate, (await stat(abs)).size)) return info;
  const decodes = await decodableDuration(abs, info.duration, info.sampleRate);
  if (decodes >= info.duration - END_SLACK) return info;
  return { ...info, duration: decodes, damage: `damaged: the header says ${formatClock(info.duration)}, audio decodes only to ${formatClock(decodes, 1)}` };
}

/**
 * Whether a constant-rate stream of this length fills the file as it should (tags and headers aside): then the
 * header's length is the file's, and no decode is needed to check it. A truncated file, or a header claiming
 * millions of seconds, is far off; so is a variable-rate file, which is then checked by decoding.
 */
function fitsSize(duration: number, bitRate: number, size: number): boolean {
  const overhead = size - (duration * bitRate) / 8;
  return overhead >= -0.01 * size && overhead <= Math.max(0.05 * size, 64 * 1024);
}

export function parseProbe(json: string): ProbeInfo & { bitRate?: number } {
  let parsed: FfprobeJson;
  try {
    parsed = JSON.parse(json) as FfprobeJson;
  } catch {
    throw new MediaError('not a media file (probe output unreadable)');
  }
  const audio = parsed.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw new MediaError('no audio stream');
  const duration = Number(parsed.format?.duration ?? audio.duration);
  if (!Number.isFinite(duration)) throw new MediaError('duration unknown');
  if (duration <= 0) throw new MediaError('zero-length audio');
  return {
    duration,
    sampleRate: Number(audio.sample_rate) || 0,
    channels: audio.channels ?? 0,
    codec: audio.codec_name ?? 'unknown',
    bitRate: Number(audio.bit_rate) || undefined,
    tags: lowerCaseKeys({ ...audio.tags, ...parsed.format?.tags }),
  };
}

/** MP3 and MP4 keep tags on the container, Ogg and Opus on the stream; ffprobe spells keys as each format does. */
function lowerCaseKeys(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [key.toLowerCase(), String(value)]));
}

/** Seconds decoded at the end to check a claimed duration; a file that decodes to within END_SLACK of it is whole. */
const TAIL = 2;
const END_SLACK = 0.5;

/** Files up to this size are decoded whole to check them: one quick decode (a minute of 128 kbit/s MP3). */
const WHOLE_FILE_BYTES = 1 << 20;
/** Bisection steps at most: enough for the last second of 2^40 claimed seconds. */
const MAX_STEPS = 40;

/**
 * How far the file really decodes: a small file is decoded whole; a larger one gets one short decode at the claimed
 * end (a seek before -i is quick), and only when nothing is there, a bisection for the last second that decodes
 * (about log2(claimed seconds) short decodes).
 */
export async function decodableDuration(abs: string, claimed: number, sampleRate: number): Promise<number> {
  const secondsDecoded = (start: number, seconds: number) => decodedSeconds(abs, start, seconds, sampleRate);
  if ((await stat(abs)).size <= WHOLE_FILE_BYTES) {
    const whole = await secondsDecoded(0, claimed + TAIL);
    if (whole === 0) throw new MediaError('damaged: no audio decodes');
    return Math.min(claimed, whole);
  }
  const tailStart = Math.max(0, claimed - TAIL);
  const tail = await secondsDecoded(tailStart, TAIL);
  if (tail > 0) return Math.min(claimed, tailStart + tail);
  if ((await secondsDecoded(0, 1)) === 0) throw new MediaError('damaged: no audio decodes');
  let [lo, hi] = [0, tailStart];
  for (let step = 0; step < MAX_STEPS && hi - lo > 1; step++) {
    const mid = (lo + hi) / 2;
    if ((await secondsDecoded(mid, 1)) > 0) lo = mid;
    else hi = mid;
  }
  return lo + (await secondsDecoded(lo, Math.min(hi - lo, TAIL) + 1));
}

/**
 * Seconds of audio ffmpeg decodes from `start` for at most `seconds` (0 past the real end, where it may also fail).
 * Decoded at the file's own rate: resampling a damaged header's rate of a few hertz up would make hours of output.
 */
async function decodedSeconds(abs: string, start: number, seconds: number, sampleRate: number): Promise<number> {
  const rate = sampleRate > 0 ? [] : ['-ar', '8000'];
  try {
    const pcm = await runTool('ffmpeg', ['-v', 'error', '-ss', String(start), '-i', abs, '-t', String(seconds), '-vn', '-ac', '1', ...rate, '-f', 's16le', '-'], 20_000);
    return pcm.length / 2 / (sampleRate || 8000);
  } catch (err) {
    if ((err as Error).message.includes('not installed')) throw err;
    return 0;
  }
}
