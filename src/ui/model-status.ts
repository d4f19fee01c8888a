import { formatCount, formatPercent as pct, formatShare, formatSmallPercent } from '../format/share-format.js';
import type { LearnerStatus } from '../labeler/learner-protocol.js';

/** One line about the model for the labeling screen: extraction, version, last retrain, recall estimate. */
export function modelStatusLine(s: LearnerStatus, now: number): string {
  if (s.error) return `model: ${s.error} — random clips`;
  const parts: string[] = [];
  const { extraction: x } = s;
  if (x.filesDone < x.filesTotal) {
    const share = x.secondsTotal > 0 ? x.secondsDone / x.secondsTotal : 0;
    const progress = `features ${pct(share)} (${x.filesDone}/${x.filesTotal} files)`;
    parts.push(s.ready && s.coverage !== undefined ? `model v${s.modelVersion} on ${pct(s.coverage)} of the audio · ${progress}` : `${progress} — random clips until ready`);
  } else if (!s.ready) {
    parts.push('model: taking in your labels…');
  } else {
    const ago = s.lastRetrain ? ` · retrained ${Math.max(0, Math.round((now - Date.parse(s.lastRetrain.at)) / 1000))}s ago` : '';
    parts.push(`model v${s.modelVersion}${ago}`);
  }
  if (s.pool) parts.push(`ranking a pool of ${formatCount(s.pool.windows)} of ${formatCount(s.pool.population)} clips (${formatSmallPercent(s.pool.windows / s.pool.population)})`);
  if (x.failed > 0) parts.push(`${x.failed} file(s) without features`);
  if (!s.target) {
    parts.push('no target: press t to choose one');
  } else {
    parts.push(recallText(s));
    const age = estimateAge(s, now);
    if (age) parts.push(age);
  }
  return parts.join(' · ');
}

/**
 * How old the figures are, once a label made since has waited a while for them: near the end of a large collection
 * the estimate takes seconds and is computed at a pace (estimate-pacer.ts). A label just made after a long pause
 * does not count: the figures are as new as the labels were until then.
 */
function estimateAge(s: LearnerStatus, now: number): string | undefined {
  if (!s.estimate || !s.estimateStaleSince || !s.estimatedAt) return undefined;
  if (now - Date.parse(s.estimateStaleSince) < STALE_AFTER_SECONDS * 1000) return undefined;
  const seconds = Math.round((now - Date.parse(s.estimatedAt)) / 1000);
  return `figures from ${seconds < 120 ? `${seconds}s` : `${Math.round(seconds / 60)} min`} ago, updating`;
}
const STALE_AFTER_SECONDS = 10;

function recallText(s: LearnerStatus): string {
  const e = s.estimate;
  if (!e) return `target ${s.target}`;
  if (!e.enough) return `${s.target}: ${e.found} found · recall estimate needs ${e.minRandomLabels} random labels (${e.randomLabels})`;
  const total = e.total!;
  const found = `${e.found} of ~${Math.round(total.value)} (${Math.round(total.low)}–${Math.round(total.high)}) found`;
  const recall = e.recall ? ` · model recall ${formatShare(e.recall)}` : '';
  const hint = e.stop ? ` · goal ${pct(e.goal)} met: you can stop and run hark apply` : '';
  return `${s.target}: ${found}${recall}${hint}`;
}
