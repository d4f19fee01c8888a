/**
 * Do the intervals hold on labels a person made? Takes a store labeled by hand (or only its journal; by default the
 * three in bench/hand-labeled/: clips of the dev corpus labeled in the labeler without sound, judged from a
 * spectrogram of each clip and its context, with the queue hunting music, tone and host) and a corpus with a truth
 * table. For every label the person used it compares, with the truth:
 * - what `hark stats --target` says: the label's clips in the collection and the model's recall and precision, as the
 *   labeling screen shows them. Their truth: the windows the truth covers at least half (evaluate's window), and the
 *   share of them labeled as the label or flagged by the model fitted to every label (what the estimate extrapolates).
 * - what `hark apply` says it finds and how much of that is right, against `hark evaluate`'s window recall and
 *   precision of the same ranges.
 * And how the person's labels agree with the truth: for each label they gave, the share of their clips the truth
 * covers at least half with it (and what the truth says of the others), and of the clips they labeled that the truth
 * gives the label, the share they gave it too. The intervals describe the labels the person gives: where these are
 * low, a miss against the truth table is the person's meaning of the label, not the estimate.
 * Usage: node --import tsx bench/hand-labeled.ts [store-dir | journal.jsonl] [corpus-dir]
 * (a journal's first line is the store's config; with no store or journal named, both journals in hand-labeled/)
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectionVectors } from '../src/audio/features/collection-vectors.js';
import { openCollection, priorDecisions } from '../src/collection/open-collection.js';
import { runApply } from '../src/commands/apply.js';
import { runEvaluate } from '../src/commands/evaluate.js';
import { runStats } from '../src/commands/stats.js';
import { labelSet } from '../src/ml/label-sets.js';
import { FLAG_THRESHOLD } from '../src/ml/learning-session.js';
import { COVERED_SHARE } from '../src/ml/evaluate.js';
import { rowsAt, scoreWindows, trainModel } from '../src/ml/model.js';
import { parseTruthCsv } from '../src/ml/truth.js';
import { windowTruth } from '../src/ml/window-truth.js';
import { featureCacheDir } from '../src/store/feature-cache.js';
import { LabelStore } from '../src/store/label-store.js';
import type { Interval } from '../src/ml/interval.js';
import { holds, round } from './_corpus-truth.js';
import { run } from './_run-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const sources = process.argv[2] ? [resolve(process.argv[2])] : ['dev-by-eye.jsonl', 'dev-tone-by-eye.jsonl', 'dev-host-by-eye.jsonl'].map((f) => join(here, 'hand-labeled', f));
const corpus = resolve(process.argv[3] ?? join(here, '../../shared/corpus/dev'));

/** A store to read: the one named, copied so apply's output stays out of it, or a new one holding the journal. */
async function storeFrom(source: string, corpus: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hark-hand-'));
  if (statSync(source).isDirectory()) {
    cpSync(source, dir, { recursive: true, filter: (p) => !p.startsWith(join(source, 'apply')) });
    return dir;
  }
  mkdirSync(join(dir, 'journals'));
  const lines = readFileSync(source, 'utf8').split('\n').filter(Boolean);
  const config = JSON.parse(lines[0]);
  config.config.mediaRoot = corpus; // the journal names the folder it was labeled in
  writeFileSync(join(dir, 'journals/main.jsonl'), [JSON.stringify(config), ...lines.slice(1), ''].join('\n'));
  (await LabelStore.open(dir)).close(); // makes it a store around the journal
  return dir;
}

const interval = (i: Interval | undefined) => (i ? { value: round(i.value), low: round(i.low), high: round(i.high) } : null);
const check = (i: Interval | undefined, truth: number) => ({ estimate: interval(i), truth: round(truth), holds: holds(i, truth) });

/** What stats and apply say of every label of the store labeled by hand in `source`, beside the truth. */
async function checkStore(source: string) {
  const started = performance.now();
  const store = await storeFrom(source, corpus);
  try {
    const collection = await openCollection({ store, readOnly: true });
    const { files, grid } = collection;
    const decisions = priorDecisions(collection).filter((d) => d.kind === 'label');
    const { vectors, dims } = await collectionVectors(files, grid, { cacheDir: featureCacheDir(store) });
    const truth = windowTruth(parseTruthCsv(readFileSync(join(corpus, 'truth.csv'), 'utf8')), files, grid);
    collection.store.close();
    const covered = (w: number, label: string) => {
      const l = truth.labels.indexOf(label);
      return l >= 0 && truth.coverage![w * truth.labels.length + l] >= COVERED_SHARE - 1e-9;
    };
    const given = [...new Set(decisions.flatMap((d) => d.labels))];
    const model = trainModel({ vectors: rowsAt(vectors, dims, decisions.map((d) => d.window)), dims, labels: decisions.map((d) => labelSet(d.labels)), windows: decisions.map((d) => d.window) });

    const applied = JSON.parse(await run('apply', (io) => runApply({ store, json: true, out: join(store, 'apply-run') }, io)));
    const evaluated = JSON.parse(await run('evaluate', (io) => runEvaluate({ store, truth: join(corpus, 'truth.csv'), from: join(store, 'apply-run'), json: true }, io)));

    const labels: Record<string, unknown> = {};
    let intervals = 0;
    let held = 0;
    const scores = scoreWindows(model, vectors);
    for (const label of given) {
      const stats = JSON.parse(await run('stats', (io) => runStats({ store, target: label, json: true }, io))).estimate;
      const flagged = scores[model.classes.indexOf(label)];
      const labeledAs = new Int8Array(grid.count); // 1: the person gave this label, -1: only others
      for (const d of decisions) labeledAs[d.window] = d.labels.includes(label) ? 1 : -1;
      let targets = 0;
      let claimed = 0;
      let found = 0;
      for (let w = 0; w < grid.count; w++) {
        const claim = labeledAs[w] === 1 || (labeledAs[w] === 0 && flagged[w] >= FLAG_THRESHOLD);
        const is = covered(w, label);
        if (is) targets++;
        if (claim) claimed++;
        if (is && claim) found++;
      }
      const mine = decisions.filter((d) => d.labels.includes(label));
      const truthOfMine: Record<string, number> = {};
      for (const d of mine) {
        const main = truth.main[d.window] >= 0 ? truth.labels[truth.main[d.window]] : 'none';
        truthOfMine[main] = (truthOfMine[main] ?? 0) + 1;
      }
      const window = evaluated.labels[label]?.window;
      const checks = {
        stats_total: check(stats?.total, targets),
        stats_recall: check(stats?.recall, targets ? found / targets : 1),
        stats_precision: check(stats?.precision, claimed ? found / claimed : 1),
        apply_found: window ? check(applied.labels[label]?.estimate?.recall, window.recall) : null,
        apply_correct: window ? check(applied.labels[label]?.estimate?.precision, window.precision) : null,
      };
      for (const c of Object.values(checks)) {
        if (c?.estimate) {
          intervals++;
          if (c.holds) held++;
        }
      }
      const truthOfLabeled = decisions.filter((d) => covered(d.window, label));
      labels[label] = {
        labeled: mine.length,
        // where these two are low, the person means something else by the label than the truth table does
        truth_agrees_with_their_labels: round(mine.filter((d) => covered(d.window, label)).length / mine.length),
        they_gave_this_label_to_its_truth: round(truthOfLabeled.filter((d) => d.labels.includes(label)).length / (truthOfLabeled.length || 1)),
        truth_main_of_their_labels: truthOfMine,
        ...checks,
      };
    }
    return { source, clips_labeled: decisions.length, random_labels: applied.labels[given[0]]?.estimate?.randomLabels ?? null, intervals_hold: `${held}/${intervals}`, seconds: round((performance.now() - started) / 1000, 1), labels };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

if (!existsSync(join(corpus, 'truth.csv'))) throw new Error(`no truth.csv in ${corpus}`);
const stores = [];
for (const source of sources) stores.push(await checkStore(source));
process.stdout.write(`${JSON.stringify({ bench: 'hand-labeled', corpus, stores }, null, 2)}\n`);
