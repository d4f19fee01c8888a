import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStoreFile } from '../../src/store/store-file.js';

test('a full disk while hark.json is written leaves the file as it was and no temporary file', (t) => {
  if (!existsSync('/dev/full')) return t.skip('this system has no /dev/full');
  const dir = mkdtempSync(join(tmpdir(), 'hark-full-'));
  try {
    const file = join(dir, 'hark.json');
    writeStoreFile(file, { labels: [{ name: 'Tone', key: '1' }] });
    const before = readFileSync(file, 'utf8');
    // this process's temporary file, pointed at /dev/full: its write fails as on a full disk, with ENOSPC
    symlinkSync('/dev/full', `${file}.${process.pid}.tmp`);
    assert.throws(() => writeStoreFile(file, { labels: [{ name: 'Music', key: '1' }] }), /no space left on device/i);
    assert.equal(readFileSync(file, 'utf8'), before, 'hark.json as it was');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
