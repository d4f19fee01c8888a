import { render } from 'ink';
import { DEFAULT_CLIP, openCollection } from '../collection/open-collection.js';
import { defaultLabelKeys } from '../app/keymap.js';
import { createPlayer } from '../audio/player/index.js';
import { findLabel, type LabelDef } from '../domain/labels.js';
import { App } from '../ui/app.js';
import { SCREEN_RENDER_OPTIONS } from '../ui/render-options.js';
import { DEFAULT_CONTEXT, startSession, type ReadySession } from '../labeler/start-session.js';
import { userName } from '../collection/user-name.js';
import { UserError } from '../domain/user-error.js';
import { parseStrategy } from '../ml/strategies.js';
import { searchQueue } from '../search/search-clips.js';
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
  strategy?: string;
  /** a search query whose hits are labeled first */
  fromSearch?: string;
}


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
    if (opts.strategy) parseStrategy(opts.strategy);
    if (opts.labels?.length) await store.setConfig({ labels: labelDefs(opts.labels) });
    const labelNames = store.config.labels.map((l) => l.name);
    const target = opts.target && labelNames.length ? findLabel(labelNames, opts.target) : opts.target;
    if (opts.target && !target) throw new UserError(`--target ${opts.target} is not one of the labels: ${labelNames.join(', ')}.`);
    await store.setConfig({
      annotator: opts.annotator ?? store.config.annotator ?? userName(),
      context: opts.context ?? store.config.context ?? DEFAULT_CONTEXT,
      ...(target ? { target } : {}),
    });
    const firstClips = opts.fromSearch === undefined ? undefined : await searchQueue(collection, opts.fromSearch);
    const player = await createPlayer(opts.player ?? 'auto');
    let session: ReadySession | undefined;
    const begin = () => {
      session = startSession(collection, player, { seed: opts.seed, strategy: opts.strategy, firstClips, onExit: () => instance.unmount() });
      return session;
    };
    const setup = async (labels: string[]): Promise<ReadySession> => {
      // a target named before the label set was chosen takes that set's spelling, or waits for the t key
      const chosenTarget = store.config.target && findLabel(labels, store.config.target);
      await store.setConfig({ labels: labelDefs(labels), target: chosenTarget || undefined });
      return begin();
    };
    const instance = render(<App storePath={store.dir} color={io.color} ready={labelNames.length ? begin() : undefined} setup={setup} />, {
      ...SCREEN_RENDER_OPTIONS,
      stdout: io.stdout,
      stdin: io.stdin,
    });
    await instance.waitUntilExit();
    await Promise.all([player.close(), session?.close()]);
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
