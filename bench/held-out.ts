/**
 * Do the recall and precision intervals hold on labels made in other ways than the simulation's mixed queue? For
 * several targets of a corpus with a truth table, labels are made four ways (the mixed queue; a likely-heavy queue;
 * in runs, as a person who listens through labels each queued clip and the seconds after it; and as a simulated
 * person, who also errs), and the estimate hark stats gives at the end is computed with held-out votes that leave out
 * only a window's own label, or also the labels of its recording within a few seconds (HELD_OUT_SECONDS). Prints one
 * JSON object: for each, how often the intervals held the truth, and the mean estimate beside the mean truth.
 * Usage: [BENCH_TARGETS=host,tone] node --import tsx bench/held-out.ts [corpus-dir] [seeds] [budget] [feature-cache-dir] [even]
 * (even: the random arm draws evenly throughout, as hark did before weighted draws)
 * Runs are labeled with three times the budget, for as many random draws as the queue gets. Truths: the share of the
 * target labeled or flagged by the model fitted to every label (what apply's answer holds; the labeler's own model
 * flagged up to 0.08 more non-targets, which made the estimate look optimistic) and of the windows labeled as the
 * target or flagged that are it; and the same among the windows nobody labeled (what the estimate extrapolates to).
 * `person` is a simulation of a person, not labels a person made: near a change of sound it answers with the
 * neighbouring sound (BOUNDARY_ERROR), it mixes up host and guest (CONFUSION), and listening through a run it keeps the
 * answer it gave before (INERTIA); its truths are the truth table's, not its own answers.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/domain/seeded-random.js';
import { fileOfWindow } from '../src/domain/window-grid.js';
import { FLAG_THRESHOLD, LearningSession } from '../src/ml/learning-session.js';
import { fittedEstimate, heldApart, rowsAt, scoreWindows, trainModel, type LabeledExample } from '../src/ml/model.js';
import { parseStrategy } from '../src/ml/strategies.js';
import type { WindowTruth } from '../src/ml/window-truth.js';
import { holds, mean, openCorpusWithTruth, round } from './_corpus-truth.js';

const corpus = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/dev'));
const SEEDS = Number(process.argv[3] ?? 5);
const BUDGET = Number(process.argv[4] ?? 200);
const cacheDir = process.argv[5];
const evenDraws = process.argv[6] === 'even';
const TARGETS = (process.env.BENCH_TARGETS ?? 'host,guest,music,tone').split(',');
/**
 * a queue strategy, how many following clips of the same recording are labeled after each queued one, the labels
 * made, and whether a simulated person answers instead of the truth
 */
const STYLES: Record<string, { strategy: string; run: number; budget: number; person?: boolean }> = {
  mixed: { strategy: 'mixed', run: 0, budget: BUDGET },
  likely_heavy: { strategy: 'likely:0.7,random:0.3', run: 0, budget: BUDGET },
  runs_of_6s: { strategy: 'mixed', run: 5, budget: 3 * BUDGET },
  person: { strategy: 'mixed', run: 5, budget: 3 * BUDGET, person: true },
};
/** the simulated person: chance of answering with a neighbouring second's sound where the sound changes */
const BOUNDARY_ERROR = 0.3;
/** chance of taking one of two similar labels for the other */
const CONFUSION = 0.1;
const SIMILAR: Record<string, string> = { host: 'guest', guest: 'host' };
/** chance of keeping the previous answer for the next second of a run when the sound changed */
const INERTIA = 0.3;

/** The label a simulated person gives window `w`: the truth's, or a mistake a person makes (see the header). */
function personAnswer(truth: WindowTruth, offsets: Int32Array, w: number, previous: string | undefined, rand: () => number): string {
  const name = (l: number) => (l >= 0 ? truth.labels[l] : '');
  const file = fileOfWindow(offsets, w);
  const neighbours = [w - 1, w + 1].filter((n) => n >= offsets[file] && n < offsets[file + 1] && truth.main[n] !== truth.main[w]);
  let answer = name(truth.main[w]);
  if (neighbours.length && rand() < BOUNDARY_ERROR) answer = name(truth.main[neighbours[Math.floor(rand() * neighbours.length)]]);
  if (SIMILAR[answer] && truth.labels.includes(SIMILAR[answer]) && rand() < CONFUSION) answer = SIMILAR[answer];
  if (previous !== undefined && previous !== answer && rand() < INERTIA) answer = previous;
  return answer;
}
const HELD_OUT = [0, 5, 15];


/**
 * Labels `budget` clips the way a style says, answering from the truth or as a simulated person (`person`, its
 * random source); returns the labels in the order made.
 */
function label(session: LearningSession, truth: WindowTruth, offsets: Int32Array, budget: number, run: number, person?: () => number): LabeledExample[] {
  const labeled: LabeledExample[] = [];
  const decided = new Set<number>();
  let answers = 0;
  const answer = (window: number, how: string, previous?: string, draw?: { drawProbability: number; weighted?: boolean }) => {
    const l = truth.main[window];
    const given = person ? personAnswer(truth, offsets, window, previous, person) : l >= 0 ? truth.labels[l] : '';
    session.addLabel(window, given, given ? 'label' : 'skip', how);
    if (session.relearnIfDue()) session.buildStep();
    decided.add(window);
    answers++;
    if (given) labeled.push({ window, label: given, random: how === 'random', ...draw });
    return given;
  };
  while (answers < budget) {
    const [c] = session.next(1);
    if (!c) break;
    let given = answer(c.window, c.how, undefined, { drawProbability: c.drawProbability, weighted: c.weighted });
    const file = fileOfWindow(offsets, c.window);
    for (let w = c.window + 1; w <= c.window + run && w < offsets[file + 1] && answers < budget; w++) if (!decided.has(w)) given = answer(w, 'manual', given);
  }
  return labeled;
}

const started = performance.now();
const { grid, vectors, dims, truth, close } = await openCorpusWithTruth(corpus, cacheDir);

/** Every window's probability of `target` from the model fitted to every label, as apply scores the collection. */
function flags(labeled: readonly LabeledExample[], target: string): Float32Array {
  const windows = labeled.map((d) => d.window);
  const model = trainModel({ vectors: rowsAt(vectors, dims, windows), dims, labels: labeled.map((d) => d.label), windows });
  const c = model.classes.indexOf(target);
  return c >= 0 ? scoreWindows(model, vectors)[c] : new Float32Array(grid.count);
}
try {
  const results: Record<string, unknown> = {};
  for (const target of TARGETS.filter((t) => truth.labels.includes(t))) {
    const t = truth.labels.indexOf(target);
    const positives = truth.main.filter((l) => l === t).length;
    const styles: Record<string, unknown> = {};
    for (const [style, { strategy, run, budget, person }] of Object.entries(STYLES)) {
      const runs = Array.from({ length: SEEDS }, (_, i) => {
        const session = new LearningSession({ offsets: grid.offsets, clip: grid.clip, strategy: parseStrategy(strategy), target, rand: seededRandom(i + 1), evenDraws });
        session.attachVectors(vectors, dims);
        session.buildStep();
        const labeled = label(session, truth, grid.offsets, budget, run, person ? seededRandom(1000 + i) : undefined);
        const labeledAs = new Int8Array(grid.count); // 1: labeled the target, -1: labeled something else
        for (const d of labeled) labeledAs[d.window] = d.label === target ? 1 : -1;
        const p = flags(labeled, target);
        // [targets, of them claimed] and [claimed, of them targets], in all and among the unlabeled windows
        const all = { targets: 0, found: 0, claimed: 0, right: 0 };
        const unlabeled = { targets: 0, found: 0, claimed: 0, right: 0 };
        truth.main.forEach((l, w) => {
          const claim = labeledAs[w] === 1 || (labeledAs[w] === 0 && p[w] >= FLAG_THRESHOLD);
          for (const [c, counts] of [[true, all], [labeledAs[w] === 0, unlabeled]] as const) {
            if (!c) continue;
            if (l === t) counts.targets++;
            if (l === t && claim) counts.found++;
            if (claim) counts.claimed++;
            if (claim && l === t) counts.right++;
          }
        });
        const estimates = HELD_OUT.map((seconds) => fittedEstimate(vectors, dims, labeled, target, heldApart(grid.offsets, grid.clip, seconds), 0.9));
        return {
          recall: all.found / all.targets,
          precision: all.claimed ? all.right / all.claimed : 1,
          unlabeledRecall: unlabeled.targets ? unlabeled.found / unlabeled.targets : 1,
          unlabeledPrecision: unlabeled.claimed ? unlabeled.right / unlabeled.claimed : 1,
          estimates,
        };
      });
      styles[style] = {
        labels: budget,
        true_recall: round(mean(runs.map((r) => r.recall))),
        true_precision: round(mean(runs.map((r) => r.precision))),
        unlabeled_recall: round(mean(runs.map((r) => r.unlabeledRecall))),
        unlabeled_precision: round(mean(runs.map((r) => r.unlabeledPrecision))),
        ...Object.fromEntries(
          HELD_OUT.map((seconds, h) => {
            const e = runs.map((r) => r.estimates[h]);
            return [
              `held_out_${seconds}s`,
              {
                recall: round(mean(e.flatMap((x) => (x.recall ? [x.recall.value] : [])))),
                recall_holds: `${runs.filter((r, k) => holds(e[k].recall, r.recall)).length}/${SEEDS}`,
                recall_holds_unlabeled: `${runs.filter((r, k) => holds(e[k].recall, r.unlabeledRecall)).length}/${SEEDS}`,
                precision: round(mean(e.flatMap((x) => (x.precision ? [x.precision.value] : [])))),
                precision_holds: `${runs.filter((r, k) => holds(e[k].precision, r.precision)).length}/${SEEDS}`,
                precision_holds_unlabeled: `${runs.filter((r, k) => holds(e[k].precision, r.unlabeledPrecision)).length}/${SEEDS}`,
                recall_width: round(mean(e.flatMap((x) => (x.recall ? [x.recall.high - x.recall.low] : [])))),
                stop: `${e.filter((x) => x.stop).length}/${SEEDS}`,
              },
            ];
          }),
        ),
      };
    }
    results[target] = { positives, styles };
  }
  process.stdout.write(`${JSON.stringify({ bench: 'held-out', corpus, budget: BUDGET, seeds: SEEDS, draws: evenDraws ? 'even' : 'weighted', seconds: round((performance.now() - started) / 1000, 1), targets: results }, null, 2)}\n`);
} finally {
  close();
}
