import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wav from 'node-wav';
import { seededRandom } from '../domain/seeded-random.js';

export const DEMO_LABELS = ['Tone', 'Noise', 'Chirp', 'Music', 'Silence'] as const;
export type DemoLabel = (typeof DEMO_LABELS)[number];

export interface TruthRow {
  file: string;
  start: number;
  end: number;
  label: string;
}

export interface DemoOptions {
  files?: number;
  /** seconds per file */
  seconds?: number;
  seed?: number;
  sampleRate?: number;
  /** relative weight of each label when drawing segments; Tone is rare by default */
  weights?: Partial<Record<DemoLabel, number>>;
}

const DEFAULT_WEIGHTS: Record<DemoLabel, number> = { Tone: 0.5, Noise: 2, Chirp: 2, Music: 2, Silence: 1 };

/** Writes a synthesized collection (WAV files of labeled segments) and its truth.csv; returns the truth rows. */
export function writeDemoCollection(dir: string, opts: DemoOptions = {}): TruthRow[] {
  const { files = 3, seconds = 60, seed = 1, sampleRate = 16000 } = opts;
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const rand = seededRandom(seed);
  mkdirSync(dir, { recursive: true });
  const truth: TruthRow[] = [];
  for (let f = 0; f < files; f++) {
    const name = `demo-${String(f + 1).padStart(2, '0')}.wav`;
    const samples = new Float32Array(Math.round(seconds * sampleRate));
    let t = 0;
    while (t < seconds) {
      const label = pickWeighted(weights, rand);
      const length = Math.min(seconds - t, 2 + Math.floor(rand() * 7));
      const from = Math.round(t * sampleRate);
      synthesize(label, samples.subarray(from, Math.round((t + length) * sampleRate)), sampleRate, rand);
      truth.push({ file: name, start: t, end: t + length, label });
      t += length;
    }
    writeFileSync(join(dir, name), wav.encode([samples], { sampleRate, float: false, bitDepth: 16 }));
  }
  writeFileSync(join(dir, 'truth.csv'), ['file,start,end,label', ...truth.map((r) => `${r.file},${r.start},${r.end},${r.label}`)].join('\n') + '\n');
  return truth;
}

function pickWeighted(weights: Record<DemoLabel, number>, rand: () => number): DemoLabel {
  const total = DEMO_LABELS.reduce((s, l) => s + weights[l], 0);
  let r = rand() * total;
  for (const l of DEMO_LABELS) {
    r -= weights[l];
    if (r < 0) return l;
  }
  return DEMO_LABELS[DEMO_LABELS.length - 1];
}

function synthesize(label: DemoLabel, out: Float32Array, rate: number, rand: () => number): void {
  const noise = () => rand() * 2 - 1;
  switch (label) {
    case 'Tone': {
      const freq = [400, 440, 1000][Math.floor(rand() * 3)];
      const level = 0.2 + rand() * 0.4;
      for (let i = 0; i < out.length; i++) out[i] = level * Math.sin((2 * Math.PI * freq * i) / rate);
      break;
    }
    case 'Noise': {
      const level = 0.1 + rand() * 0.3;
      let brown = 0;
      for (let i = 0; i < out.length; i++) {
        brown = 0.97 * brown + 0.03 * noise();
        out[i] = level * (0.5 * noise() + 4 * brown);
      }
      break;
    }
    case 'Chirp': {
      const period = Math.round(rate * (0.15 + rand() * 0.2));
      const f0 = 1500 + rand() * 1500;
      for (let i = 0; i < out.length; i++) {
        const k = i % period;
        const u = k / period;
        const f = f0 * (1 + 1.5 * u);
        out[i] = u < 0.4 ? 0.4 * Math.sin((2 * Math.PI * f * k) / rate) * Math.sin(Math.PI * (u / 0.4)) : 0.002 * noise();
      }
      break;
    }
    case 'Music': {
      const root = 110 * Math.pow(2, Math.floor(rand() * 12) / 12);
      const chord = [1, 1.26, 1.5, 2];
      const beat = Math.round(rate * (0.3 + rand() * 0.3));
      for (let i = 0; i < out.length; i++) {
        const env = 0.4 + 0.6 * Math.exp(-(i % beat) / (0.1 * rate));
        let s = 0;
        for (const c of chord) for (let h = 1; h <= 3; h++) s += Math.sin((2 * Math.PI * root * c * h * i) / rate) / (h * 4);
        out[i] = 0.25 * env * s;
      }
      break;
    }
    case 'Silence':
      for (let i = 0; i < out.length; i++) out[i] = 0.001 * noise();
      break;
  }
}
