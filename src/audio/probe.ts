import type { ProbeInfo } from '../domain/media.js';
import { MediaError, runTool } from './ffmpeg.js';

interface FfprobeJson {
  format?: { duration?: string; tags?: Record<string, string> };
  streams?: { codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string; tags?: Record<string, string> }[];
}

/** One quick ffprobe per file: duration, the first audio stream's shape, and the tags (title, artist, date, …). */
export async function probeMedia(abs: string): Promise<ProbeInfo> {
  const out = await runTool(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'format=duration:format_tags:stream=codec_type,codec_name,sample_rate,channels,duration:stream_tags', '-of', 'json', abs],
    20_000,
  );
  return parseProbe(out.toString('utf8'));
}

export function parseProbe(json: string): ProbeInfo {
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
    tags: lowerCaseKeys({ ...audio.tags, ...parsed.format?.tags }),
  };
}

/** MP3 and MP4 keep tags on the container, Ogg and Opus on the stream; ffprobe spells keys as each format does. */
function lowerCaseKeys(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [key.toLowerCase(), String(value)]));
}
