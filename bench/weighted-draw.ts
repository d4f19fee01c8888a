/**
 * What a weighted random draw costs on a large collection (weighted-draw.ts): building the draws for one set of
 * the model's probabilities (once per label), and each draw after it, the drawn window taken out as the labeler
 * takes out a queued one. Prints one JSON object. Usage: node --import tsx bench/weighted-draw.ts [windows] [draws]
 */
import { seededRandom } from '../src/domain/seeded-random.js';
import { WeightedDraws } from '../src/ml/weighted-draw.js';

const WINDOWS = Number(process.argv[2] ?? 1_000_000);
const DRAWS = Number(process.argv[3] ?? 10_000);
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

const rand = seededRandom(1);
// most windows unlikely, a few percent likely: the shape a model hunting a rare target gives
const p = Float32Array.from({ length: WINDOWS }, () => rand() ** 8);
const available = new Uint8Array(WINDOWS).fill(1);
for (let w = 0; w < WINDOWS; w += 97) available[w] = 0; // labeled already

const builds: number[] = [];
let draws: WeightedDraws | undefined;
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  draws = new WeightedDraws(p, available);
  builds.push(performance.now() - started);
}
const started = performance.now();
for (let i = 0; i < DRAWS; i++) draws!.setAvailable(draws!.draw(rand)!.window, false);
const drawMs = (performance.now() - started) / DRAWS;
builds.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ bench: 'weighted-draw', windows: WINDOWS, draws: DRAWS, build_ms_median: round(builds[2], 1), draw_us: round(drawMs * 1000, 2) }, null, 2)}\n`,
);
