import { buildKeyMap } from '../app/keymap.js';
import { initialSession } from '../app/session.js';
import { createClipLoader } from '../audio/clip-loader.js';
import { seededRandom } from '../audio/demo-collection.js';
import type { Player } from '../audio/player/types.js';
import type { Collection } from '../commands/collection.js';
import { userName } from '../commands/user-name.js';
import type { ReadySession } from './app.js';
import { randomClipSource } from './random-source.js';
import { SessionController } from './session-controller.js';

export const DEFAULT_CONTEXT = 4;

/** Wires a labeling session for a collection whose store knows its labels: keys, queue, audio, player. */
export function startSession(collection: Collection, player: Player, opts: { seed?: number; onExit: () => void }): ReadySession {
  const { store, files } = collection;
  const config = store.config;
  const { keymap } = buildKeyMap(config.labels.map((l) => l.key), config.keys);
  const counts: Record<string, number> = {};
  for (const r of store.records) counts[r.label] = (counts[r.label] ?? 0) + 1;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const loader = createClipLoader(config.context ?? DEFAULT_CONTEXT);
  const source = randomClipSource(collection, seededRandom(opts.seed ?? Date.now()));
  const controller = new SessionController(initialSession(config.labels, counts, Date.now(), config.target), {
    store,
    player,
    source,
    loadAudio: loader.load,
    fileInfo: (file) => byPath.get(file),
    annotator: config.annotator ?? userName(),
    onExit: opts.onExit,
  });
  return { controller, keymap, labels: config.labels };
}
