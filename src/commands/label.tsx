import { render } from 'ink';
import { Command, InvalidArgumentError, Option, type OptionValues } from '@commander-js/extra-typings';
import { openCollection, type Collection } from '../collection/open-collection.js';
import { DEFAULT_POOL_WINDOWS, labelingPool } from '../collection/labeling-pool.js';
import { keepOutsideExamples, keptExamplesDir, keptOutsideExamples, readExamples, type Examples } from '../collection/examples.js';
import { DEFAULT_SETTINGS, labelDefs, labelNamesProblem, MAX_LABELS } from '../collection/settings.js';
import type { KeyMapProblem } from '../app/keymap.js';
import { COMMAND_HELP } from '../app/commands.js';
import { ALL_PLAYER_MODES, createPlayer } from '../audio/player/index.js';
import { EXAMPLE_HOW, findLabel } from '../domain/labels.js';
import { UserError } from '../domain/user-error.js';
import { heldLabelNames } from '../app/label-offers.js';
import { App } from '../ui/app.js';
import { SCREEN_RENDER_OPTIONS } from '../ui/render-options.js';
import { keepScreenLinesAcrossFrames } from '../ui/ink-line-cache.js';
import { startSession, type ReadySession } from '../labeler/start-session.js';
import { parseStrategy } from '../ml/strategies.js';
import { reportScanProblems, scanProgress, type CommandDefinition, type CommandIO } from './command-io.js';
import { integer, playerMode, positiveInteger, positiveNumber, share, STORE_HELP } from './option-values.js';

import { searchQueue } from '../search/search-clips.js';

export { labelDefs } from '../collection/settings.js';

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
  fsync?: boolean;
  overlap?: number;
  review?: 'disagreements';
  /** a search query whose hits are labeled first */
  fromSearch?: string;
  poolWindows?: number;
  /** examples of the target: FILE@TIME in the collection, or an outside recording */
  example?: string[];
}

/** The options `hark label` and `hark demo` share. */
export function labelingOptions<Args extends unknown[], Opts extends OptionValues>(command: Command<Args, Opts>) {
  return command
    .option('--store <dir>', STORE_HELP)
    .option('--annotator <name>', 'name saved with each label (default: your user name; saved in the store); each annotator has a journal of their own, so several can label one store at once')
    .option('--overlap <share>', 'with --annotator: share of random draws that are clips another annotator labeled, shown blind, to measure agreement (default 0.05)', share)
    .option('--fsync', 'wait until each label is on the disk itself, so it survives a power cut (slower on some disks)')
    .option('--player <mode>', `audio output: ${ALL_PLAYER_MODES.join(', ')} (default: auto)`, playerMode)
    .option('--clip <seconds>', `clip length in seconds, fixed per store (default ${DEFAULT_SETTINGS.clip})`, positiveNumber)
    .option('--context <seconds>', `seconds of context before and after, for the c key (default ${DEFAULT_SETTINGS.context}; saved in the store)`, positiveNumber)
    .option('--seed <n>', 'random seed for the clip order', integer)
    .option('--target <label>', 'the label the queue hunts for (also the t key; saved in the store)')
    .option('--strategy <s>', "how clips are chosen: mixed (default), random, likely, uncertain, or shares like 'likely:0.5,random:0.4,uncertain:0.1'")
    .option(
      '--pool-windows <n>',
      `above this many clips, rank a random pool of this many, drawn once and kept in the store, so memory stays bounded; apply still scores every clip (default ${DEFAULT_POOL_WINDOWS}; saved in the store)`,
      positiveInteger,
    );
}

export const labelCommand: CommandDefinition = (context) =>
  labelingOptions(
    new Command('label')
      .description('label clips of a media folder, one key per clip')
      .argument('[media-dir]', 'folder of recordings, searched recursively (default: the one the store remembers)')
      .option('--labels <list>', `comma-separated label names, each once, at most ${MAX_LABELS}, e.g. "Music,Speech,Tone" (asked on first run if omitted; saved in the store)`, labelNames)
      .addOption(new Option('--review <what>', 'disagreements: first the clips annotators labeled differently; your label settles each (the originals are kept)').choices(['disagreements'] as const))
      .option('--from-search <query>', 'label the hits of a search first, e.g. "Music > 30s and not Host" (see hark search)')
      .option(
        '--example <file[@time]>',
        'an example of the --target: a moment of the collection (ep12.mp3@0:14.5 or ep12.mp3@14.5, saved as a label) or a recording from elsewhere (tone-sample.wav, kept in the store for later runs on the target); the clips most like it come first. Repeat for several',
        (value: string, previous: string[] = []) => [...previous, value],
      ),
  ).action(async (media, opts) => context.finish(await runLabel({ ...opts, media }, context.io, context.interruptible(LABELS_KEPT))));

/** What a labeler stopped by a signal leaves: the same as q. */
export const LABELS_KEPT = 'every label is saved';

function labelNames(value: string): string[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const problem = labelNamesProblem(names);
  if (problem) throw new InvalidArgumentError(problem);
  return names;
}

/** `hark label`: the interactive labeling loop. A signal (SIGTERM) ends it as q does: labels saved, store unlocked. */
export async function runLabel(opts: LabelOptions, io: CommandIO, signal?: AbortSignal): Promise<number> {
  if (!io.stdin.isTTY) {
    throw new UserError('label needs an interactive terminal (stdin is not a TTY).', 'Batch commands: export, stats, apply.', 2);
  }
  if (process.env.TERM === 'dumb') {
    throw new UserError('hark label draws a full screen, which a dumb terminal (TERM=dumb) cannot show.', 'Run it in a terminal such as xterm (TERM=xterm-256color); batch commands: export, stats, apply.', 2);
  }
  if (opts.strategy) parseStrategy(opts.strategy);
  const collection = await openCollection({
    media: opts.media,
    store: opts.store,
    flags: { clip: opts.clip, context: opts.context, annotator: opts.annotator, target: opts.target, labels: opts.labels },
    annotator: opts.annotator,
    fsync: opts.fsync,
    onScanProgress: scanProgress(io.err),
  });
  const { store } = collection;
  try {
    signal?.throwIfAborted(); // Ctrl-C while the folder was scanned
    reportScanProblems(collection.problems, io.err);
    for (const notice of collection.notices) io.err.write(`${notice}\n`);
    const pool = await labelingPool(collection, opts.poolWindows);
    const firstClips = opts.fromSearch === undefined ? undefined : await searchQueue(collection, opts.fromSearch);
    const examples = await saveExamples(collection, opts.example ?? [], io.err);
    const player = await createPlayer(opts.player ?? 'auto');
    let session: ReadySession | undefined;
    const begin = () => {
      session = startSession(collection, player, { pool, seed: opts.seed, strategy: opts.strategy, overlap: opts.overlap, review: opts.review, firstClips, examples, onExit: () => instance.unmount() });
      return session;
    };
    const setup = async (labels: string[]): Promise<ReadySession> => {
      // a target named before the label set was chosen takes that set's spelling, or waits for the t key
      const chosenTarget = store.config.target && findLabel(labels, store.config.target);
      await store.setConfig({ labels: labelDefs(labels), target: chosenTarget || undefined });
      return begin();
    };
    const labelNames = store.config.labels.map((l) => l.name);
    const held = labelNames.length ? [] : heldLabelNames(store.records);
    const ready = labelNames.length ? begin() : undefined;
    if (ready?.keyProblems.length) io.err.write(`${formatKeyProblems(ready.keyProblems)}\n`);
    keepScreenLinesAcrossFrames();
    const instance = render(<App storePath={store.dir} color={io.color} ready={ready} setup={setup} held={held} />, {
      ...SCREEN_RENDER_OPTIONS,
      stdout: io.stdout,
      stdin: io.stdin,
    });
    const stop = () => instance.unmount();
    signal?.addEventListener('abort', stop, { once: true });
    await instance.waitUntilExit();
    signal?.removeEventListener('abort', stop);
    await Promise.all([player.close(), session?.close()]);
    io.err.write(session ? `Labels saved in ${store.file}\n` : 'No label set chosen; nothing was labeled. Run hark label again to choose one.\n');
    signal?.throwIfAborted();
    return 0;
  } finally {
    store.close();
  }
}

/**
 * Reads the --example flags: the moments among them are saved as labels of the target (how 'example'), the outside
 * recordings kept in the store. Outside recordings kept for the target by earlier runs join them.
 */
async function saveExamples(collection: Collection, specs: readonly string[], err: NodeJS.WritableStream): Promise<Examples | undefined> {
  const { store, grid, files } = collection;
  const target = store.config.target;
  const hasTarget = target !== undefined && store.config.labels.some((l) => l.name === target);
  if (specs.length && !hasTarget) throw new UserError('--example needs a target among the labels: give --target (and --labels on a new store).');
  if (!hasTarget) return undefined;
  const examples = await readExamples(collection, specs);
  const annotator = store.annotator ?? collection.settings.annotator;
  await store.addMany(
    examples.windows.map((w) => ({ file: files[grid.fileOf(w)].path, start: grid.startOf(w), duration: grid.durationOf(w), label: target, kind: 'label', annotator, how: EXAMPLE_HOW })),
  );
  const earlier = keptOutsideExamples(store.dir, target);
  const given = keepOutsideExamples(store.dir, target, examples.outsidePaths);
  const fromEarlier = earlier.filter((path) => !given.includes(path));
  if (fromEarlier.length) {
    const kept = await readExamples(collection, fromEarlier);
    examples.outside.push(...kept.outside);
    examples.outsidePaths.push(...kept.outsidePaths);
    err.write(`Learning ${target} from ${fromEarlier.length} example recording(s) kept by earlier runs, in ${keptExamplesDir(store.dir, target)} (delete them there to stop).\n`);
  }
  return examples.windows.length || examples.outside.length ? examples : undefined;
}

/** One line naming the store's key remaps that name no command, which the labeler leaves out. */
export function formatKeyProblems(problems: readonly KeyMapProblem[]): string {
  const remaps = problems.map((p) => `"${p.key}": "${p.command}"`).join(', ');
  return `Ignored in the store's config.keys (no such command): ${remaps}. Commands: ${Object.keys(COMMAND_HELP).join(', ')}, label1, label2, …`;
}
