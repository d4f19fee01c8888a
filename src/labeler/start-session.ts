import { buildKeyMap } from '../app/keymap.js';
import { initialSession, type Clip } from '../app/session.js';
import { createClipLoader } from '../audio/clip-loader.js';
import { startDecodeThread } from '../audio/decode-thread.js';
import type { Player } from '../audio/player/types.js';
import type { Collection } from '../collection/open-collection.js';
import { userName } from '../collection/user-name.js';
import type { KeyMap } from '../app/keymap.js';
import type { LabelDef } from '../domain/labels.js';
import { applyInBackground, reviewClipsOf } from './apply-in-background.js';
import { createLearner, type LearnerStatus } from './learner.js';
import { learnerClipSource } from './learner-source.js';
import { SessionController } from './session-controller.js';

/** A labeling session wired and running, as the screen needs it. */
export interface ReadySession {
  controller: SessionController;
  keymap: KeyMap;
  labels: LabelDef[];
  /** the background learner's status */
  modelStatus: { subscribe(cb: () => void): () => void; get(): LearnerStatus | undefined };
  close(): Promise<void>;
}

export const DEFAULT_CONTEXT = 4;

export interface SessionOptions {
  seed?: number;
  /** 'mixed' (default), 'random', 'likely', 'uncertain' or shares like 'likely:0.5,random:0.4,uncertain:0.1' */
  strategy?: string;
  /** clips to label before any the model chooses (hark label --from-search), and a line about them */
  firstClips?: { clips: Clip[]; message: string };
  onExit: () => void;
}

/** Wires a labeling session for a collection whose store knows its labels: keys, queue, learner, audio, player. */
export function startSession(collection: Collection, player: Player, opts: SessionOptions): ReadySession {
  const { store, files } = collection;
  const config = store.config;
  const { keymap } = buildKeyMap(config.labels.map((l) => l.key), config.keys);
  const counts: Record<string, number> = {};
  for (const r of store.records) counts[r.label] = (counts[r.label] ?? 0) + 1;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const decoder = startDecodeThread();
  const loader = createClipLoader(config.context ?? DEFAULT_CONTEXT, 8, decoder.decode);
  const learner = createLearner({ collection, strategy: opts.strategy, seed: opts.seed, target: config.target });
  const source = learnerClipSource(collection, learner);
  const apply = applyInBackground(store.dir);
  const controller = new SessionController(initialSession(config.labels, counts, Date.now(), config.target), {
    store,
    player,
    source,
    loadAudio: loader.load,
    fileInfo: (file) => byPath.get(file),
    annotator: config.annotator ?? userName(),
    onExit: opts.onExit,
    applyModel: apply.run,
    reviewClips: reviewClipsOf(collection),
  });
  if (opts.firstClips) {
    controller.dispatch({ type: 'clips', clips: opts.firstClips.clips, front: true });
    controller.dispatch({ type: 'message', message: { text: opts.firstClips.message, level: 'info' } });
  }
  let status: LearnerStatus | undefined;
  const modelStatus = {
    subscribe: (cb: () => void) =>
      learner.onUpdate((s) => {
        status = s;
        cb();
      }),
    get: () => status,
  };
  learner.start();
  return { controller, keymap, labels: config.labels, modelStatus, close: async () => {
      apply.stop();
      await Promise.all([learner.close(), decoder.close()]);
    },
  };
}
