/**
 * Re-rank after one label on a synthetic collection as large as the labeler's pool (default 1,000,000 windows,
 * HARK_BENCH_WINDOWS to change): the parts of the work after a label, timed in this thread. Prints one JSON object.
 */
import { FEATURE_DIMS } from '../src/audio/features/window-features.js';
import { rerankSpeed } from './_rerank-speed.js';

const windows = Number(process.env.HARK_BENCH_WINDOWS ?? 1_000_000);
console.log(JSON.stringify({ bench: 'rerank', ...rerankSpeed(windows, FEATURE_DIMS), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
