/** Scan time of a media folder with a cold probe cache and a warm one. Usage: scan.ts [media-dir] */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCollection } from '../src/collection/open-collection.js';
import { benchCorpus } from './corpus.js';

const media = process.argv[2] ?? benchCorpus('dev');
const storeDir = mkdtempSync(join(tmpdir(), 'hark-bench-scan-'));
try {
  const timed = async () => {
    const t0 = performance.now();
    const c = await openCollection({ media, store: storeDir });
    const ms = performance.now() - t0;
    c.store.close();
    return { ms, files: c.files.length, windows: c.grid.count, hours: c.files.reduce((s, f) => s + f.duration, 0) / 3600 };
  };
  const cold = await timed();
  const warm = await timed();
  console.log(JSON.stringify({ bench: 'scan', media, files: cold.files, hours: +cold.hours.toFixed(3), cold_ms: Math.round(cold.ms), warm_ms: Math.round(warm.ms) }));
} finally {
  rmSync(storeDir, { recursive: true, force: true });
}
