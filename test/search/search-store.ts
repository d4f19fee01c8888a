/**
 * A small store whose search answers are known: four silent recordings made by ffmpeg (two WAV, two MP3, with
 * tags), a person's labels saved through LabelStore, and apply ranges written as two runs (one of them a shard).
 *
 *   The_World/TheWorld_20170622.wav    400 s  title "World News at noon"   Host by alice at 10 s; Tone 60-70; Music 100-150;
 *                                                                          Carol Hills 0-100
 *   The_World/TheWorld_2017-05-01.mp3  200 s  title "Weekend talk"         Host by alice at 50 s; Tone 90-95; Music 20-40
 *   Oral_History/carol_interview_ep12.wav 700 s  date tag 2016             Music 0-45; Carol Hills 0-200 and 300-420
 *   Misc/long_ep3.mp3                  3700 s                               Music by bob at 100 s; Music 1000-1040 (shard);
 *                                                                          Host 3600-3650 (shard)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LabelStore } from '../../src/store/label-store.js';
import { tempDir } from '../helpers/fixtures.js';

export const A = 'The_World/TheWorld_20170622.wav';
export const B = 'The_World/TheWorld_2017-05-01.mp3';
export const C = 'Oral_History/carol_interview_ep12.wav';
export const D = 'Misc/long_ep3.mp3';

const RECORDINGS: { path: string; seconds: number; tags: Record<string, string> }[] = [
  { path: A, seconds: 400, tags: { title: 'World News at noon', artist: 'PRI' } },
  { path: B, seconds: 200, tags: { title: 'Weekend talk' } },
  { path: C, seconds: 700, tags: { date: '2016' } },
  { path: D, seconds: 3700, tags: {} },
];

const HEADER = 'file,start,end,label,mean_score,max_score,peak\n';

export async function searchStore(): Promise<{ store: string; media: string }> {
  const root = tempDir('hark-search-');
  const media = join(root, 'media');
  const store = join(root, 'store');
  for (const r of RECORDINGS) {
    const out = join(media, r.path);
    mkdirSync(dirname(out), { recursive: true });
    const metadata = Object.entries(r.tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
    const codec = out.endsWith('.mp3') ? ['-c:a', 'libmp3lame', '-b:a', '8k'] : [];
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', String(r.seconds), ...metadata, ...codec, '-y', out]);
  }
  const labels = await LabelStore.open(store);
  await labels.setConfig({ mediaRoot: media, labels: ['Music', 'Host', 'Tone', 'Carol Hills'].map((name, i) => ({ name, key: String(i + 1) })) });
  const label = (file: string, start: number, name: string, annotator: string) =>
    ({ file, start, duration: 1, label: name, kind: 'label', annotator, how: 'random' }) as const;
  await labels.addMany([label(A, 10, 'Host', 'alice'), label(B, 50, 'Host', 'alice'), label(D, 100, 'Music', 'bob')]);
  labels.close();
  mkdirSync(join(store, 'apply', 'runs', 'r2'), { recursive: true });
  writeFileSync(
    join(store, 'apply', 'ranges.csv'),
    HEADER +
      [
        `${C},0,45,Music,0.8,0.9,20`,
        `${C},0,200,Carol Hills,0.8,0.9,100`,
        `${C},300,420,Carol Hills,0.8,0.9,350`,
        `${A},0,100,Carol Hills,0.7,0.8,50`,
        `${A},60,70,Tone,0.9,0.99,65`,
        `${A},100,150,Music,0.8,0.85,120`,
        `${B},20,40,Music,0.6,0.7,30`,
        `${B},90,95,Tone,0.9,0.95,92`,
      ].join('\n') +
      '\n',
  );
  writeFileSync(join(store, 'apply', 'runs', 'r2', 'ranges-shard1.csv'), `${HEADER}${D},1000,1040,Music,0.7,0.75,1020\n${D},3600,3650,Host,0.6,0.65,3610\n`);
  return { store, media };
}
