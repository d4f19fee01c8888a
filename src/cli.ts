import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandIO } from './commands/command-io.js';
import { colorMode } from './format/color-mode.js';
import { runDemo } from './commands/demo.js';
import { runLabel } from './commands/label.js';
import { runExport } from './commands/export.js';
import { runImport } from './commands/import.js';
import { runStats } from './commands/stats.js';
import { runListen } from './commands/listen.js';
import { runApply } from './commands/apply.js';
import { runExtract } from './commands/extract.js';
import { runEvaluate } from './commands/evaluate.js';
import { runSimulate } from './commands/simulate.js';
import { DEFAULT_RANGE_OPTIONS as RANGES } from './ml/ranges.js';
import { defaultStoreDir } from './collection/open-collection.js';

// `hark export … | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

const io: CommandIO = {
  out: process.stdout,
  err: process.stderr,
  stdout: process.stdout,
  stdin: process.stdin,
  color: colorMode(process.env, process.stdout),
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

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number, 0 or more');
  return n;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number, 1-65535');
  return n;
}

function labelList(value: string): string[] {
  const labels = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!labels.length) throw new InvalidArgumentError('give at least one label, e.g. "Music,Speech,Tone"');
  return labels;
}

const storeHelp = `store folder (labels, config, caches); default for a media folder M: ${defaultStoreDir('M').replace(/M-[0-9a-f]+$/, 'M-<hash>')}`;

async function finish(work: Promise<number>): Promise<void> {
  process.exitCode = await work;
}

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command()
  .name('hark')
  .version(version)
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
    .option('--target <label>', 'the label the queue hunts for (also the t key)')
    .option('--strategy <s>', "how clips are chosen: mixed (default), random, likely, uncertain, or shares like 'likely:0.5,random:0.4,uncertain:0.1'");

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

program
  .command('export')
  .description('write the labels for another tool')
  .requiredOption('--store <dir>', 'the store folder')
  .addOption(
    new Option('--format <format>', 'hipstas (output_table.csv), csv, audacity (a label file per recording), raven (a selection table per recording), jsonl')
      .choices(['hipstas', 'csv', 'audacity', 'raven', 'jsonl'])
      .makeOptionMandatory(),
  )
  .option('--out <path>', 'file for hipstas/csv/jsonl (default: standard output); folder for audacity/raven (default: ./hark-labels-<format>)')
  .action((opts) => finish(runExport(opts, io)));

program
  .command('import')
  .description('bring in labels from a HiPSTAS Audio Labeler output_table.csv')
  .argument('<table>', 'the output_table.csv (quoted or unquoted)')
  .option('--store <dir>', storeHelp)
  .option('--media <dir>', 'media folder, if the store does not know it yet')
  .option('--annotator <name>', 'who the imported labels are credited to', 'hipstas')
  .action((table: string, opts) => finish(runImport({ ...opts, table }, io)));

program
  .command('stats')
  .description("counts per label and annotator, labeled time, files covered, and the target's recall estimate")
  .requiredOption('--store <dir>', 'the store folder')
  .option('--target <label>', "estimate how many clips of this label the collection holds, and the model's recall (default: the store's target)")
  .option('--no-model', "leave out the model's recall and precision (and the feature extraction they may need)")
  .option('--json', 'one JSON object instead of a table')
  .action((opts) => finish(runStats(opts, io)));

program
  .command('extract')
  .description("compute the feature cache of a collection, or of one shard of it (machines sharing the store split the work)")
  .argument('<media-dir>', 'folder of recordings')
  .option('--store <dir>', storeHelp)
  .option('--shard <i/n>', 'only shard i of n (i from 0, balanced by duration), or auto: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX')
  .option('--shards <n>', 'with --shard auto: how many shards (default: $HARK_SHARDS, or the size of the Slurm array)', integer)
  .option('--workers <n>', 'feature-extraction threads (default: cores - 1)', integer)
  .action((media: string, opts) => finish(runExtract({ ...opts, media }, io)));

program
  .command('apply')
  .description('score every clip of the collection with the model and write the time ranges found, per label')
  .requiredOption('--store <dir>', 'the store folder')
  .option('--label <name>', 'a label to find (repeat for more; default: every label with labels)', collect)
  .option('--threshold <p>', `probability a smoothed window needs to count (default ${RANGES.threshold}: favours recall)`, nonNegative)
  .option('--smooth <seconds>', `moving-average length over time (default ${RANGES.smooth})`, nonNegative)
  .option('--min-duration <seconds>', `drop ranges shorter than this (default ${RANGES.minDuration})`, nonNegative)
  .option('--merge-gap <seconds>', `join ranges separated by less than this (default ${RANGES.mergeGap})`, nonNegative)
  .option('--out <dir>', 'output folder (default: <store>/apply)')
  .option('--format <list>', 'comma-separated: csv, audacity, raven, jsonl (default: csv,audacity)')
  .option('--workers <n>', 'feature-extraction threads (default: cores - 1)', integer)
  .option('--json', 'print a machine-readable summary')
  .option('--fit', 'across machines, first: fit the model from the labels and save it in the store for the shards')
  .option('--shard <i/n>', 'across machines: score shard i of n (i from 0) with the saved model, or auto (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX)')
  .option('--shards <n>', 'with --shard auto: how many shards (default: $HARK_SHARDS, or the size of the Slurm array)', integer)
  .option('--merge', 'across machines, last: join the finished shards into the outputs one run writes')
  .action((opts) => finish(runApply(opts, io)));

program
  .command('evaluate')
  .description("precision, recall and F1 of apply's ranges against a ground-truth CSV (file,start,end,label)")
  .requiredOption('--store <dir>', 'the store folder')
  .requiredOption('--truth <csv>', 'ground truth: file,start,end,label (overlapping rows allowed)')
  .option('--label <name>', 'a label to evaluate (repeat for more)', collect)
  .option('--from <dir>', 'where apply wrote (default: <store>/apply)')
  .option('--workers <n>', 'feature-extraction threads', integer)
  .option('--json', 'print {"labels": {NAME: {"window": {...}, "event": {...}}}}')
  .action((opts) => finish(runEvaluate(opts, io)));

program
  .command('simulate')
  .description('replay labeling with an oracle answering from a ground truth, to see how many labels a collection needs')
  .argument('<media-dir>', 'folder of recordings')
  .requiredOption('--truth <csv>', 'ground truth: file,start,end,label')
  .requiredOption('--target <label>', 'the label to hunt for')
  .requiredOption('--budget <n>', 'how many labels the oracle gives', integer)
  .option('--strategy <s>', "random, likely, uncertain, mixed (default) or shares like 'likely:0.5,random:0.4,uncertain:0.1'")
  .option('--seed <n>', 'random seed', integer)
  .option('--store <dir>', storeHelp)
  .option('--workers <n>', 'feature-extraction threads', integer)
  .option('--json', 'print one JSON object')
  .action((media: string, opts) => finish(runSimulate({ ...opts, media }, io)));

program
  .command('listen')
  .description('play, on this machine, the clips a hark on another machine sends (labeling over SSH)')
  .option('--port <n>', 'port to listen on', port, 7777)
  .option('--host <address>', 'address to bind (keep 127.0.0.1 and forward the port with ssh -R)', '127.0.0.1')
  .option('--token <secret>', 'refuse players that do not present this token (default: $HARK_TOKEN)')
  .addOption(new Option('--player <mode>', 'audio output: auto, speaker, aplay, paplay, ffplay, none').default('auto'))
  .action(async (opts) => {
    const handle = await runListen({ ...opts, out: process.stdout }).catch((err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${opts.port} is already in use (another hark listen?)` : err.message;
      process.stderr.write(`hark: cannot listen: ${why}\n`);
      process.exit(1);
    });
    const stop = () => void handle.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

await program.parseAsync(process.argv);
