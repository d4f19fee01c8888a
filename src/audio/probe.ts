import type { ProbeInfo } from '../domain/media.js';
import { MediaError, runTool } from './ffmpeg.js';

interface FfprobeJson {
  format?: { duration?: string };
  streams?: { codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string }[];
}

/** One quick ffprobe per file: duration and the first audio stream's shape. */
export async function probeMedia(abs: string): Promise<ProbeInfo> {
  const out = await runTool(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,sample_rate,channels,duration', '-of', 'json', abs],
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
  };
}
