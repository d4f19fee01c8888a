import { render } from 'ink';
import type { Collection } from './collection.js';
import { DEFAULT_CLIP, openCollection } from './collection.js';
import { buildKeyMap, defaultLabelKeys } from '../app/keymap.js';
import { initialSession } from '../app/session.js';
import { createClipLoader } from '../audio/clip-loader.js';
import { seededRandom } from '../audio/demo-collection.js';
import { createPlayer } from '../audio/player/index.js';
import type { LabelDef } from '../store/schema.js';
import { App, type ReadySession } from '../ui/app.js';
import { randomClipSource } from '../ui/random-source.js';
import { SessionController } from '../ui/session-controller.js';
import { userName } from './user-name.js';
import { reportScanProblems, scanProgress, userCommand, type CommandIO } from './command-io.js';

export interface LabelOptions {
  media?: string;
  store?: string;
  labels?: string[];
  annotator?: string;
  player?: string;
  clip?: number;
  context?: number;
  seed?: number;
  target?: string;
}

const DEFAULT_CONTEXT = 4;

/** `hark label`: the interactive labeling loop. */
export const runLabel = userCommand(async (opts: LabelOptions, io: CommandIO): Promise<number> => {
  if (!io.stdin.isTTY) {
    io.err.write('hark label needs an interactive terminal (stdin is not a TTY). Batch commands: export, stats, apply.\n');
    return 2;
  }
  const collection = await openCollection({ media: opts.media, store: opts.store, onScanProgress: scanProgress(io.err) });
  const { store } = collection;
  try {
    reportScanProblems(collection.problems, io.err);
    if (collection.files.length === 0) {
      io.err.write(`No playable recordings in ${collection.root}.\n`);
      return 1;
    }
    if (opts.clip !== undefined && opts.clip !== (store.config.clip ?? DEFAULT_CLIP)) {
      if (store.records.length) {
        io.err.write(`This store already has labels on ${store.config.clip ?? DEFAULT_CLIP} s clips; keeping that length.\n`);
      } else {
        await store.setConfig({ clip: opts.clip });
        return runLabel({ ...opts, clip: undefined }, io);
      }
    }
    if (opts.labels?.length) await store.setConfig({ labels: labelDefs(opts.labels) });
    await store.setConfig({
      annotator: opts.annotator ?? store.config.annotator ?? userName(),
      context: opts.context ?? store.config.context ?? DEFAULT_CONTEXT,
      ...(opts.target ? { target: opts.target } : {}),
    });
    const player = await createPlayer(opts.player ?? 'auto');
    const setup = async (labels: string[]): Promise<ReadySession> => {
      await store.setConfig({ labels: labelDefs(labels) });
      return startSession(collection, player, opts, () => instance.unmount());
    };
    const ready = store.config.labels.length ? startSession(collection, player, opts, () => instance.unmount()) : undefined;
    const instance = render(<App storePath={store.dir} color={io.color} ready={ready} setup={setup} />, {
      stdout: io.stdout,
      stdin: io.stdin,
      exitOnCtrlC: false,
    });
    await instance.waitUntilExit();
    await player.close();
    io.err.write(`Labels saved in ${store.file}\n`);
    return 0;
  } finally {
    store.close();
  }
});

export function labelDefs(names: string[]): LabelDef[] {
  const keys = defaultLabelKeys(names.length);
  return names.map((name, i) => ({ name, key: keys[i] ?? '' }));
}

function startSession(collection: Collection, player: Awaited<ReturnType<typeof createPlayer>>, opts: LabelOptions, onExit: () => void): ReadySession {
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
    onExit,
  });
  return { controller, keymap, labels: config.labels };
}
