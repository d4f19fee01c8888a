import { opendir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep, extname } from 'node:path';
import type { MediaFile, ProbeCache, ScanProblem } from '../domain/media.js';
import { probeMedia } from './probe.js';

export const MEDIA_EXTENSIONS = new Set([
  '.wav', '.wave', '.mp3', '.flac', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.mp4', '.mov', '.wma', '.aif', '.aiff', '.aifc',
]);

export interface ScanOptions {
  cache?: ProbeCache;
  /** the recordings that may be probed; any other that the cache does not describe is left out, unprobed */
  mayProbe?: (path: string) => boolean;
  onProgress?: (done: number, total: number) => void;
  concurrency?: number;
}

export interface ScanResult {
  files: MediaFile[];
  problems: ScanProblem[];
}

interface Candidate {
  path: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

/** Bumped when probe results change meaning: 2 = durations checked against what decodes. Older entries are probed again. */
const PROBE_VERSION = 2;

export function probeKey(c: { path: string; size: number; mtimeMs: number }): string {
  return `${fileIdentity(c)}|${Math.round(c.mtimeMs)}|v${PROBE_VERSION}`;
}

/** A recording as it can be recognised in another folder: its relative path and size (a renamed folder keeps both). */
export function fileIdentity(c: { path: string; size: number }): string {
  return `${c.path}|${c.size}`;
}

/** The identity within a probe cache key (see probeKey). */
export function identityOfProbeKey(key: string): string {
  return key.split('|').slice(0, 2).join('|');
}

/** The media files below root with their sizes, without probing them (quick). */
export async function listMediaFiles(root: string): Promise<{ path: string; size: number }[]> {
  return findCandidates(root, []);
}

/** Finds every media file below root and probes each one (cached by path+size+mtime). */
export async function scanMedia(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const problems: ScanProblem[] = [];
  const candidates = await findCandidates(root, problems);
  const files: MediaFile[] = [];
  let done = 0;
  const probeOne = async (c: Candidate) => {
    try {
      const key = probeKey(c);
      let info = opts.cache?.get(key);
      if (!info?.tags) {
        if (opts.mayProbe && !opts.mayProbe(c.path)) return;
        info = await probeMedia(c.abs);
        opts.cache?.set(key, info);
      }
      files.push({ ...c, duration: info.duration, sampleRate: info.sampleRate, channels: info.channels, codec: info.codec, tags: info.tags });
      if (info.damage) problems.push({ path: c.path, reason: info.damage, usedSeconds: info.duration });
    } catch (err) {
      problems.push({ path: c.path, reason: (err as Error).message });
    } finally {
      opts.onProgress?.(++done, candidates.length);
    }
  };
  await runPool(candidates, opts.concurrency ?? 4, probeOne);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  problems.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, problems };
}

async function findCandidates(root: string, problems: ScanProblem[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const seenDirs = new Set<string>();
  const rel = (abs: string) => relative(root, abs).split(sep).join('/');
  const walk = async (dir: string): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (err) {
      problems.push({ path: rel(dir) || '.', reason: describeFsError(err) });
      return;
    }
    if (seenDirs.has(real)) return; // a symlink loop or a second link to the same folder
    seenDirs.add(real);
    let entries;
    try {
      entries = await opendir(dir);
    } catch (err) {
      problems.push({ path: rel(dir) || '.', reason: describeFsError(err) });
      return;
    }
    const children: string[] = [];
    for await (const entry of entries) children.push(entry.name);
    children.sort();
    for (const name of children) {
      const abs = join(dir, name);
      if (name.includes('\uFFFD') && MEDIA_EXTENSIONS.has(extname(name).toLowerCase())) {
        // Node reads the name as UTF-8; bytes that are not cannot be turned back into a path that opens
        problems.push({ path: rel(abs), reason: 'file name is not valid UTF-8: rename the file to play it' });
        continue;
      }
      let st;
      try {
        st = await stat(abs);
      } catch (err) {
        if (MEDIA_EXTENSIONS.has(extname(name).toLowerCase())) problems.push({ path: rel(abs), reason: describeFsError(err) });
        continue;
      }
      if (st.isDirectory()) {
        await walk(abs);
      } else if (MEDIA_EXTENSIONS.has(extname(name).toLowerCase())) {
        if (!st.isFile()) problems.push({ path: rel(abs), reason: 'not a regular file' });
        else if (st.size === 0) problems.push({ path: rel(abs), reason: 'empty file (0 bytes)' });
        else out.push({ path: rel(abs), abs, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  await walk(root);
  return out;
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENOENT') return 'vanished or broken link';
  return (err as Error).message;
}

async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
