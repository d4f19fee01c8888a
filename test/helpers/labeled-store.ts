import { join } from 'node:path';
import { writeDemoCollection, type DemoOptions } from '../../src/audio/demo-collection.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { LabelStore, type NewRecord } from '../../src/store/label-store.js';

/**
 * A generated collection in `dir` and a store labeled the way a person would after a while: one clip in the middle of each
 * truth segment of the first half of the recordings, and `random` clips drawn uniformly (so apply's estimates have
 * the 30 random labels they need), each given its true label.
 */
export async function labeledStore(dir: string, opts: DemoOptions & { random?: number } = {}): Promise<{ media: string; store: string }> {
  const { files = 6, seconds = 40, seed = 7, random = 36 } = opts;
  const media = join(dir, 'media');
  const store = join(dir, 'store');
  const truth = writeDemoCollection(media, { ...opts, files, seconds, seed });
  const names = [...new Set(truth.map((r) => r.file))];
  const labelAt = (file: string, start: number) => truth.find((r) => r.file === file && r.start <= start + 0.5 && start + 0.5 < r.end)?.label;
  const record = (file: string, start: number, how: string): NewRecord[] => {
    const label = labelAt(file, start);
    return label ? [{ file, start, duration: 1, label, kind: 'label', annotator: 'test', how }] : [];
  };
  const firstHalf = new Set(names.slice(0, Math.ceil(names.length / 2)));
  const records = truth.filter((r) => firstHalf.has(r.file)).flatMap((r) => record(r.file, Math.floor((r.start + r.end) / 2), 'oracle'));
  const rand = seededRandom(seed);
  for (let i = 0; i < random; i++) records.push(...record(names[Math.floor(rand() * names.length)], Math.floor(rand() * (seconds - 1)), 'random'));
  const labelStore = await LabelStore.open(store);
  await labelStore.setConfig({ mediaRoot: media, labels: [] });
  await labelStore.addMany(records);
  labelStore.close();
  return { media, store };
}
