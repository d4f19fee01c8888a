import { Command, InvalidArgumentError, Option } from 'commander';
import { MediaError } from './audio/ffmpeg.js';
import { StoreError } from './store/store-error.js';
import { wantsColor, type CommandIO } from './commands/command-io.js';
import { runDemo } from './commands/demo.js';
import { runLabel } from './commands/label.js';
import { defaultStoreDir } from './commands/collection.js';

const io: CommandIO = {
  out: process.stdout,
  err: process.stderr,
  stdout: process.stdout,
  stdin: process.stdin,
  color: wantsColor(process.env, process.stdout),
};

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

function labelList(value: string): string[] {
  const labels = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!labels.length) throw new InvalidArgumentError('give at least one label, e.g. "Music,Speech,Tone"');
  return labels;
}

const storeHelp = `store folder (labels, config, caches); default for a media folder M: ${defaultStoreDir('M').replace(/M-[0-9a-f]+$/, 'M-<hash>')}`;

/** Runs a command and turns expected failures into a message and an exit code. */
async function finish(work: Promise<number>): Promise<void> {
  try {
    process.exitCode = await work;
  } catch (err) {
    if (err instanceof StoreError || err instanceof MediaError) {
      process.stderr.write(`hark: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      throw err;
    }
  }
}

const program = new Command()
  .name('hark')
  .description('Label audio in archives from the keyboard; a model learns as you label and finds the rest.')
  .showHelpAfterError();

const labelingOptions = (cmd: Command) =>
  cmd
    .option('--store <dir>', storeHelp)
    .option('--annotator <name>', 'name saved with each label (default: your user name)')
    .addOption(new Option('--player <mode>', 'audio output: auto, speaker, aplay, paplay, ffplay, none, tcp://host:port, tcp-raw://host:port').default('auto'))
    .option('--clip <seconds>', 'clip length in seconds, fixed per store (default 1)', positiveNumber)
    .option('--context <seconds>', 'seconds of context before and after, for the c key (default 4)', positiveNumber)
    .option('--seed <n>', 'random seed for the clip order', integer)
    .option('--target <label>', 'the label the queue hunts for');

labelingOptions(
  program
    .command('label')
    .description('label clips of a media folder, one key per clip')
    .argument('[media-dir]', 'folder of recordings, searched recursively (default: the one the store remembers)')
    .option('--labels <list>', 'comma-separated label names, e.g. "Music,Speech,Tone" (asked on first run if omitted)', labelList),
).action((media: string | undefined, opts) => finish(runLabel({ ...opts, media }, io)));

labelingOptions(
  program
    .command('demo')
    .description('synthesize a small demo collection (tones, noise, chirps, music, silence) and label it')
    .argument('[dir]', 'where to write the demo collection (default: <tmp>/hark-demo)'),
).action((dir: string | undefined, opts) => finish(runDemo({ ...opts, dir }, io)));

await program.parseAsync(process.argv);
