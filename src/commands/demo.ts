import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { DEMO_LABELS, writeDemoCollection } from '../audio/demo-collection.js';
import type { CommandDefinition, CommandIO } from './command-io.js';
import { LABELS_KEPT, labelingOptions, runLabel, type LabelOptions } from './label.js';

export interface DemoOptions extends Omit<LabelOptions, 'media' | 'labels'> {
  dir?: string;
}

export const demoCommand: CommandDefinition = (context) =>
  labelingOptions(
    new Command('demo')
      .description('synthesize a small demo collection (tones, noise, chirps, music, silence) and label it')
      .argument('[dir]', 'where to write the demo collection (default: <tmp>/hark-demo)'),
  ).action(async (dir, opts) => context.finish(await runDemo({ ...opts, dir }, context.io, context.interruptible(LABELS_KEPT))));

/** `hark demo`: synthesizes a small collection (no download) and opens the labeler on it. */
export async function runDemo(opts: DemoOptions, io: CommandIO, signal?: AbortSignal): Promise<number> {
  const dir = opts.dir ?? join(tmpdir(), 'hark-demo');
  if (!existsSync(join(dir, 'truth.csv'))) {
    io.err.write(`Writing a demo collection to ${dir} …\n`);
    writeDemoCollection(dir, { files: 4, seconds: 90 });
  }
  if (!io.stdin.isTTY) {
    io.out.write(`Demo collection ready in ${dir} (labels: ${DEMO_LABELS.join(', ')}; its ground truth is truth.csv).\n`);
    io.out.write(`Label it from a terminal: hark label ${dir}\n`);
    return 0;
  }
  // the rare Tone is the demo's target, so the queue shows the model hunting for it
  return runLabel({ target: 'Tone', ...opts, media: dir, labels: [...DEMO_LABELS] }, io, signal);
}
