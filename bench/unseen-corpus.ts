/**
 * A small collection hark has never seen, generated so that figures measured on the shared dev corpus can be checked
 * on other recordings: radio-like episodes of synthetic speech (espeak-ng, a host voice and guest voices), music
 * beds (chords, arpeggios and a bass line synthesised here), a 1 kHz station tone, hiss and silence, each episode
 * degraded the way archive transfers are (AM band limit, mains hum, hiss, a loud limiter, a phone line in mu-law,
 * lossy MP3 / M4A / OGG encodes), with a truth.csv of file,start,end,label.
 *
 * Usage: node --import tsx bench/unseen-corpus.ts OUT-DIR [episodes=8] [seed=1]
 * Needs ffmpeg and espeak-ng (apt-get install espeak-ng). Deterministic for a seed; nothing is committed.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { seededRandom } from '../src/domain/seeded-random.js';

const RATE = 16_000;
const run = promisify(execFile);

type Label = 'music' | 'host' | 'guest' | 'tone' | 'silence' | 'noise';
interface Segment {
  label: Label;
  samples: Float32Array;
}

/** How one episode is degraded and encoded: an ffmpeg filter chain and output arguments. */
interface Transfer {
  name: string;
  ext: string;
  /** hum and hiss added before the filters, as amplitudes */
  hum: number;
  hiss: number;
  filters: string;
  codec: string[];
}

const AM = 'highpass=f=200,lowpass=f=3000';
const TRANSFERS: Transfer[] = [
  { name: 'am-broadcast', ext: 'mp3', hum: 0.02, hiss: 0.01, filters: `${AM},alimiter=limit=0.5:level=1`, codec: ['-ar', '22050', '-b:a', '64k'] },
  { name: 'phone-line', ext: 'wav', hum: 0, hiss: 0.005, filters: 'highpass=f=300,lowpass=f=3400', codec: ['-ar', '8000', '-c:a', 'pcm_mulaw'] },
  { name: 'loud-m4a', ext: 'm4a', hum: 0, hiss: 0.003, filters: 'alimiter=limit=0.3:level=1,volume=2', codec: ['-c:a', 'aac', '-b:a', '48k'] },
  { name: 'hissy-ogg', ext: 'ogg', hum: 0.01, hiss: 0.03, filters: 'lowpass=f=6000', codec: ['-c:a', 'libvorbis', '-q:a', '1'] },
  { name: 'clean-mp3', ext: 'mp3', hum: 0, hiss: 0.002, filters: 'anull', codec: ['-ar', '44100', '-b:a', '128k'] },
  { name: 'am-m4a', ext: 'm4a', hum: 0.03, hiss: 0.015, filters: `${AM},alimiter=limit=0.4:level=1`, codec: ['-c:a', 'aac', '-b:a', '32k'] },
];

const WORDS = (
  'the a of and to in we our this that it is was for on with as at by from about archive radio station program ' +
  'tonight today listeners music story people town river winter summer harvest school church market war years ' +
  'remember father mother family farm road train city council weather report news next after before always never ' +
  'little great old new first last every many some good long small young early late home work songs band dance'
).split(' ');
const HOST_VOICE = 'en-us';
const GUEST_VOICES = ['en-gb-scotland', 'en+f3', 'en-gb-x-rp+f2', 'en-029', 'en+m4', 'en-gb-x-gbclan+f4'];

async function speech(rand: () => number, voice: string, seconds: number): Promise<Float32Array> {
  const words = Math.max(4, Math.round(seconds * 2.6));
  const text = Array.from({ length: words }, (_, i) => WORDS[Math.floor(rand() * WORDS.length)] + (i % 9 === 8 ? '.' : '')).join(' ');
  const speed = 150 + Math.floor(rand() * 40);
  const pitch = 35 + Math.floor(rand() * 30);
  const { stdout } = await run('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '--stdout', text], {
    encoding: 'buffer',
    maxBuffer: 1 << 28,
  });
  return decodeToRate(stdout as Buffer);
}

/** Any audio bytes to mono float samples at RATE, through ffmpeg. */
async function decodeToRate(bytes: Buffer): Promise<Float32Array> {
  const child = execFile('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-ac', '1', '-ar', String(RATE), '-f', 'f32le', 'pipe:1'], {
    encoding: 'buffer',
    maxBuffer: 1 << 28,
  });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((ok, fail) => child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`ffmpeg exited ${code}`)))));
  child.stdin!.end(bytes);
  await done;
  const all = Buffer.concat(chunks);
  return new Float32Array(all.buffer.slice(all.byteOffset, all.byteOffset + all.length));
}

const NOTE = (semitone: number) => 220 * 2 ** (semitone / 12);
const PROGRESSIONS = [
  [0, 5, 7, 0],
  [0, 9, 5, 7],
  [2, 7, 0, 9],
];

/**
 * A piece of music: a chord progression, an arpeggio over it and a bass line, with plucked envelopes, faded in and
 * out, at its own level; a longer piece may have a quiet passage of 2-5 s in the middle (where averaging smoothing
 * cuts one piece into two ranges).
 */
function music(rand: () => number, seconds: number): Float32Array {
  const out = instruments(rand, seconds);
  const level = 0.3 + 0.7 * rand();
  const fade = Math.min(1.5, seconds / 4) * RATE;
  const quiet = seconds >= 15 && rand() < 0.5 ? between(rand, 2, 5) : 0;
  const quietFrom = between(rand, 0.3, 0.6) * seconds * RATE;
  for (let i = 0; i < out.length; i++) {
    const edge = Math.min(1, i / fade, (out.length - i) / fade);
    const hush = i >= quietFrom && i < quietFrom + quiet * RATE ? 0.05 : 1;
    out[i] *= level * edge * hush;
  }
  return out;
}

function instruments(rand: () => number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  const tempo = 80 + rand() * 70; // beats per minute
  const beat = 60 / tempo;
  const key = Math.floor(rand() * 12) - 5;
  const progression = PROGRESSIONS[Math.floor(rand() * PROGRESSIONS.length)];
  const brightness = 0.3 + rand() * 0.5;
  const add = (start: number, freq: number, length: number, level: number) => {
    const from = Math.round(start * RATE);
    const to = Math.min(out.length, from + Math.round(length * RATE));
    for (let i = from; i < to; i++) {
      const t = (i - from) / RATE;
      const env = Math.exp(-t * 3) * Math.min(1, t * 200);
      const phase = 2 * Math.PI * freq * t;
      out[i] += level * env * (Math.sin(phase) + brightness * Math.sin(2 * phase) + brightness ** 2 * Math.sin(3 * phase));
    }
  };
  for (let b = 0; b * beat < seconds; b++) {
    const root = key + progression[Math.floor(b / 4) % progression.length];
    if (b % 4 === 0) for (const step of [0, 4, 7]) add(b * beat, NOTE(root + step), beat * 4, 0.08);
    add(b * beat, NOTE(root - 12), beat, 0.15);
    for (let k = 0; k < 2; k++) add((b + k / 2) * beat, NOTE(root + 12 + [0, 4, 7, 12][(b * 2 + k) % 4]), beat / 2, 0.07);
  }
  return out;
}

/** The host speaking over a quiet music bed: the host's segment, as a listener would label it. */
function talkOver(voice: Float32Array, bed: Float32Array): Float32Array {
  return voice.map((v, i) => v + 0.2 * bed[i % bed.length]);
}

function tone(seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE));
}

function noise(rand: () => number, seconds: number, level: number): Float32Array {
  let low = 0;
  return Float32Array.from({ length: Math.round(seconds * RATE) }, () => {
    low = 0.9 * low + 0.1 * (rand() * 2 - 1); // rumble, like crowd or tape noise, not white
    return level * (low * 3 + 0.3 * (rand() * 2 - 1));
  });
}

const between = (rand: () => number, lo: number, hi: number) => lo + rand() * (hi - lo);

/** One episode's running order: an opening (tone, music), then talk with music breaks, then a closing tune. */
async function episode(rand: () => number, guests: string[]): Promise<Segment[]> {
  const out: Segment[] = [];
  if (rand() < 0.5) out.push({ label: 'tone', samples: tone(between(rand, 4, 25)) });
  out.push({ label: 'music', samples: music(rand, between(rand, 8, 30)) });
  const minutes = between(rand, 3.5, 6);
  let seconds = 0;
  while (seconds < minutes * 60) {
    const r = rand();
    let segment: Segment;
    if (r < 0.3) segment = { label: 'host', samples: await speech(rand, HOST_VOICE, between(rand, 3, 20)) };
    else if (r < 0.35) segment = { label: 'host', samples: talkOver(await speech(rand, HOST_VOICE, between(rand, 4, 12)), music(rand, 40)) };
    else if (r < 0.65) segment = { label: 'guest', samples: await speech(rand, guests[Math.floor(rand() * guests.length)], between(rand, 5, 30)) };
    else if (r < 0.8) segment = { label: 'music', samples: music(rand, between(rand, 8, 40)) };
    else if (r < 0.9) segment = { label: 'silence', samples: noise(rand, between(rand, 1, 4), 0.002) };
    else if (r < 0.96) segment = { label: 'noise', samples: noise(rand, between(rand, 2, 8), 0.2) };
    else segment = { label: 'tone', samples: tone(between(rand, 4, 12)) };
    out.push(segment);
    seconds += segment.samples.length / RATE;
  }
  out.push({ label: 'music', samples: music(rand, between(rand, 10, 25)) });
  return out;
}

/** Writes the episode through its transfer chain; returns the truth rows. */
async function writeEpisode(segments: Segment[], transfer: Transfer, rand: () => number, path: string, name: string): Promise<string[]> {
  const total = segments.reduce((s, x) => s + x.samples.length, 0);
  const mix = new Float32Array(total);
  const rows: string[] = [];
  let at = 0;
  for (const s of segments) {
    mix.set(s.samples, at);
    rows.push(`${name},${(at / RATE).toFixed(3)},${((at + s.samples.length) / RATE).toFixed(3)},${s.label}`);
    at += s.samples.length;
  }
  for (let i = 0; i < total; i++) {
    const t = i / RATE;
    mix[i] += transfer.hum * (Math.sin(2 * Math.PI * 60 * t) + 0.5 * Math.sin(2 * Math.PI * 180 * t)) + transfer.hiss * (rand() * 2 - 1);
  }
  const raw = Buffer.from(mix.buffer);
  const child = execFile('ffmpeg', ['-v', 'error', '-y', '-f', 'f32le', '-ar', String(RATE), '-ac', '1', '-i', 'pipe:0', '-af', transfer.filters, ...transfer.codec, path]);
  const done = new Promise<void>((ok, fail) => child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`ffmpeg exited ${code} writing ${path}`)))));
  child.stdin!.end(raw);
  await done;
  return rows;
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'unseen-corpus');
  const count = Number(process.argv[3] ?? 8);
  const rand = seededRandom(Number(process.argv[4] ?? 1));
  mkdirSync(out, { recursive: true });
  const truth = ['file,start,end,label'];
  for (let e = 0; e < count; e++) {
    const transfer = TRANSFERS[e % TRANSFERS.length];
    const guests = [GUEST_VOICES[(2 * e) % GUEST_VOICES.length], GUEST_VOICES[(2 * e + 1) % GUEST_VOICES.length]];
    const name = `unseen-${String(e + 1).padStart(2, '0')}-${transfer.name}.${transfer.ext}`;
    truth.push(...(await writeEpisode(await episode(rand, guests), transfer, rand, join(out, name), name)));
    process.stderr.write(`wrote ${name}\n`);
  }
  writeFileSync(join(out, 'truth.csv'), `${truth.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ corpus: out, episodes: count, truthRows: truth.length - 1 })}\n`);
}

await main();
