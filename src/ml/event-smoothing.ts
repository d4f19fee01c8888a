/**
 * Smoothing that knows how long a label's events last: a two-state (label / not the label) hidden Markov model
 * decoded by Viterbi, one pass per recording, with the mean length of an event and of the gap between two events
 * learned from the model's own scores over the whole collection.
 *
 * Why: a moving average and one threshold cut a 30 s piece of music in two wherever the scores dip for a few
 * seconds, and keep a lone stray window as a range of its own. Here switching state costs log(mean event) +
 * log(mean gap) windows' worth of evidence, so a dip much shorter than the label's events is bridged, a lone spike
 * is not worth two switches, and a short event whose windows all agree still stands. A label whose events are
 * short and close together (a host between guest turns) learns a low switching cost and stays finely cut.
 */
import type { Run } from './ranges.js';

/** Mean lengths in windows, each at least MIN_MEAN_WINDOWS. */
export interface EventDurations {
  /** of a run of the label */
  event: number;
  /** of a run between two runs of the label (or to the end of a recording) */
  gap: number;
}

export interface EventSmoothingOptions {
  /** a window whose probability is at this value is equally likely in or out of an event on its own evidence */
  threshold: number;
}

/**
 * How far a window's probability may be trusted toward 0 or 1. The kNN votes are often exactly 0 or 1; unclamped,
 * one such window would outweigh any run of its neighbours. 0.05 caps one window at log(19) ~ 2.9 nats, about the
 * cost of one state switch for events and gaps of 4 windows, so it takes a few agreeing windows to open an event.
 */
export const PROBABILITY_FLOOR = 0.05;

/** Means below two windows would make staying in a state cost more than leaving it. */
const MIN_MEAN_WINDOWS = 2;

/** Viterbi re-estimation rounds; the means settle within a few (each round only bridges or cuts at the margin). */
export const LEARNING_ROUNDS = 4;

/** The most likely label / not-label path through one recording's window probabilities, as runs of the label. */
export function decodeEvents(probabilities: ArrayLike<number>, durations: EventDurations, opts: EventSmoothingOptions): Run[] {
  const n = probabilities.length;
  if (n === 0) return [];
  const event = Math.max(MIN_MEAN_WINDOWS, durations.event);
  const gap = Math.max(MIN_MEAN_WINDOWS, durations.gap);
  const stayOn = Math.log(1 - 1 / event);
  const leaveOn = Math.log(1 / event);
  const stayOff = Math.log(1 - 1 / gap);
  const leaveOff = Math.log(1 / gap);
  const t = clamp(opts.threshold);
  // the threshold moves the even-odds point: log(p / (1 - p)) + bias > 0 exactly when p > threshold
  const bias = Math.log((1 - t) / t);
  const fromOff = new Uint8Array(n); // for each window: did the best path into "on" come from "off"?
  const onFromOn = new Uint8Array(n); // did the best path into "off" come from "on"?
  let on = Math.log(event / (event + gap)) + Math.log(clamp(probabilities[0])) + bias;
  let off = Math.log(gap / (event + gap)) + Math.log(1 - clamp(probabilities[0]));
  for (let i = 1; i < n; i++) {
    const p = clamp(probabilities[i]);
    const onStay = on + stayOn;
    const onEnter = off + leaveOff;
    const offStay = off + stayOff;
    const offEnter = on + leaveOn;
    fromOff[i] = onEnter > onStay ? 1 : 0;
    onFromOn[i] = offEnter > offStay ? 1 : 0;
    on = Math.max(onStay, onEnter) + Math.log(p) + bias;
    off = Math.max(offStay, offEnter) + Math.log(1 - p);
  }
  const state = new Uint8Array(n);
  state[n - 1] = on > off ? 1 : 0;
  for (let i = n - 1; i > 0; i--) state[i - 1] = state[i] ? 1 - fromOff[i] : onFromOn[i];
  return runsOf(state);
}

/**
 * Mean event and gap lengths for one label over all its recordings: start from each window's own decision, then
 * decode with the current means and count again, LEARNING_ROUNDS times (Viterbi training). A mean is windows spent in
 * the state over the times the state was left, so a run cut off by the end of a recording counts its windows without
 * claiming it ended.
 */
export function learnDurations(recordings: readonly ArrayLike<number>[], opts: EventSmoothingOptions): EventDurations {
  let runs = recordings.map((p) => runsOf(Uint8Array.from(p as ArrayLike<number>, (v) => (v > opts.threshold ? 1 : 0))));
  let durations = countDurations(runs, recordings);
  for (let round = 0; round < LEARNING_ROUNDS; round++) {
    runs = recordings.map((p) => decodeEvents(p, durations, opts));
    durations = countDurations(runs, recordings);
  }
  return durations;
}

function countDurations(runs: readonly Run[][], recordings: readonly ArrayLike<number>[]): EventDurations {
  let onWindows = 0;
  let offWindows = 0;
  let onExits = 0;
  let offExits = 0;
  runs.forEach((fileRuns, f) => {
    const n = recordings[f].length;
    for (const run of fileRuns) {
      onWindows += run.to - run.from;
      if (run.to < n) onExits++;
      if (run.from > 0) offExits++;
    }
    offWindows += n - fileRuns.reduce((s, r) => s + r.to - r.from, 0);
  });
  return {
    event: Math.max(MIN_MEAN_WINDOWS, onWindows / Math.max(1, onExits)),
    gap: Math.max(MIN_MEAN_WINDOWS, offWindows / Math.max(1, offExits)),
  };
}

/** Maximal runs of 1s. */
function runsOf(state: Uint8Array): Run[] {
  const runs: Run[] = [];
  let from = -1;
  for (let i = 0; i <= state.length; i++) {
    const on = i < state.length && state[i] === 1;
    if (on && from < 0) from = i;
    else if (!on && from >= 0) {
      runs.push({ from, to: i });
      from = -1;
    }
  }
  return runs;
}

const clamp = (p: number) => Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, p));
