import type { LabelDef, LabelRecord } from '../domain/labels.js';
import { NOT_SURE, SKIPPED } from '../domain/labels.js';
import type { Command } from './commands.js';

/** A clip queued for labeling: one window of the collection and why it was chosen. */
export interface Clip {
  window: number;
  file: string;
  start: number;
  duration: number;
  how: string;
  reason: string;
  strategy?: string;
  score?: number;
  modelVersion?: number;
  drawProbability?: number;
  weighted?: boolean;
}

/** Commands that write to the store (save or delete a decision); only one is on its way to disk at a time. */
export type StoreCommand = Extract<Command, { type: 'label' | 'unsure' | 'skip' | 'undo' }>;

export type Decision = Pick<LabelRecord, 'label' | 'kind'>;

export interface Message {
  text: string;
  level: 'info' | 'error';
}

export interface SessionState {
  labels: LabelDef[];
  current?: Clip;
  queue: Clip[];
  /** saved decisions of this session, newest last, for undo */
  history: { id: string; clip: Clip; decision: Decision }[];
  counts: Record<string, number>;
  sessionCount: number;
  startedAt: number;
  tempo: number;
  showHelp: boolean;
  choosingTarget: boolean;
  target?: string;
  /** a save or delete is on its way to disk */
  busy: boolean;
  /** keys that change the store, typed while busy: each is applied in turn once the one before it is saved */
  pending: StoreCommand[];
  /** the queue source has no more clips */
  exhausted: boolean;
  message?: Message;
  quitting: boolean;
}

export type Effect =
  | { type: 'play'; clip: Clip; withContext: boolean; tempo: number }
  | { type: 'stop' }
  | { type: 'save'; clip: Clip; decision: Decision }
  | { type: 'delete'; id: string; clip: Clip }
  | { type: 'refill'; exclude: number[] }
  | { type: 'similar'; clip: Clip }
  | { type: 'set-target'; target?: string }
  | { type: 'apply'; target: string }
  | { type: 'review'; target: string }
  | { type: 'exit' };

export type Event =
  | { type: 'command'; command: Command }
  | { type: 'clips'; clips: Clip[]; front?: boolean }
  | { type: 'saved'; id: string; clip: Clip; decision: Decision }
  | { type: 'deleted'; clip: Clip }
  | { type: 'failed'; text: string }
  | { type: 'message'; message: Message }
  | { type: 'exhausted' }
  /** another annotator decided these clips (`labels`, in order): they count, and leave the queue (the one on screen stays) */
  | { type: 'decided-elsewhere'; windows: number[]; labels: string[] }
  | { type: 'target-chosen'; target?: string };

export const QUEUE_LOW_WATER = 3;
const TEMPOS = [0.5, 0.75, 1, 1.25, 1.5, 2];

export function initialSession(labels: LabelDef[], counts: Record<string, number>, now: number, target?: string): SessionState {
  return {
    labels,
    queue: [],
    history: [],
    counts,
    sessionCount: 0,
    startedAt: now,
    tempo: 1,
    showHelp: false,
    choosingTarget: false,
    target,
    busy: false,
    pending: [],
    exhausted: false,
    quitting: false,
  };
}

type Step = [SessionState, Effect[]];

export function reduce(state: SessionState, event: Event): Step {
  switch (event.type) {
    case 'command':
      return onCommand(state, event.command);
    case 'clips': {
      const queue = event.front ? [...event.clips, ...state.queue] : [...state.queue, ...event.clips];
      return applyPending(advanceIfIdle({ ...state, queue, exhausted: false }));
    }
    case 'exhausted':
      return [{ ...state, exhausted: true }, []];
    case 'saved': {
      const counts = { ...state.counts, [event.decision.label]: (state.counts[event.decision.label] ?? 0) + 1 };
      const history = [...state.history, { id: event.id, clip: event.clip, decision: event.decision }];
      const next = { ...state, busy: false, counts, history, sessionCount: state.sessionCount + 1, message: undefined };
      return applyPending(advance({ ...next, current: undefined }));
    }
    case 'deleted': {
      const last = state.history[state.history.length - 1];
      const label = last.decision.label;
      const counts = { ...state.counts, [label]: Math.max(0, (state.counts[label] ?? 1) - 1) };
      const queue = state.current ? [state.current, ...state.queue] : state.queue;
      const restored: SessionState = {
        ...state,
        busy: false,
        counts,
        history: state.history.slice(0, -1),
        sessionCount: Math.max(0, state.sessionCount - 1),
        current: event.clip,
        queue,
        message: { text: `undone: ${last.decision.label}`, level: 'info' },
      };
      return applyPending([restored, [playEffect(restored, event.clip, false)]]);
    }
    case 'failed': {
      // keys typed after a failed save were meant for the clips after it: applying them now would label the wrong clip
      const dropped = state.pending.length ? ` (${state.pending.length} key(s) typed ahead not applied)` : '';
      return [{ ...state, busy: false, pending: [], message: { text: event.text + dropped, level: 'error' } }, []];
    }
    case 'message':
      return [{ ...state, message: event.message }, []];
    case 'target-chosen':
      return [{ ...state, target: event.target, choosingTarget: false }, [{ type: 'set-target', target: event.target }]];
    case 'decided-elsewhere': {
      const gone = new Set(event.windows);
      const counts = { ...state.counts };
      for (const label of event.labels) counts[label] = (counts[label] ?? 0) + 1;
      const next = { ...state, counts, queue: state.queue.filter((c) => !gone.has(c.window)) };
      const low = next.queue.length < QUEUE_LOW_WATER && next.queue.length < state.queue.length && !state.exhausted;
      return [next, low ? [{ type: 'refill', exclude: queuedWindows(next) }] : []];
    }
  }
}

function onCommand(state: SessionState, command: Command): Step {
  if (command.type === 'quit') return [{ ...state, quitting: true }, [{ type: 'stop' }, { type: 'exit' }]];
  if (command.type === 'help') return [{ ...state, showHelp: !state.showHelp }, []];
  // the help screen covers the clip: a key pressed there must not label a clip the user cannot see
  if (state.showHelp) return [state, []];
  if (command.type === 'target') return [{ ...state, choosingTarget: !state.choosingTarget }, []];
  if (command.type === 'slower' || command.type === 'faster') return changeTempo(state, command.type === 'faster' ? 1 : -1);
  if (isStoreCommand(command)) return state.busy || state.pending.length ? [{ ...state, pending: [...state.pending, command] }, []] : onStoreCommand(state, command);
  if (command.type === 'apply' || command.type === 'review') return needsTarget(state, command.type);
  const clip = state.current;
  if (!clip) return [state, []];
  switch (command.type) {
    case 'replay':
      return [state, [playEffect(state, clip, false)]];
    case 'context':
      return [state, [playEffect(state, clip, true)]];
    case 'similar':
      return [{ ...state, message: { text: 'finding clips like this one…', level: 'info' } }, [{ type: 'similar', clip }]];
  }
}

function onStoreCommand(state: SessionState, command: StoreCommand): Step {
  if (command.type === 'undo') return undo(state);
  const clip = state.current;
  if (!clip) return [state, []];
  switch (command.type) {
    case 'label': {
      const def = state.labels[command.index];
      if (!def) return [state, []];
      return decide(state, clip, { label: def.name, kind: 'label' });
    }
    case 'unsure':
      return decide(state, clip, { label: NOT_SURE, kind: 'unsure' });
    case 'skip':
      return decide(state, clip, { label: SKIPPED, kind: 'skip' });
  }
}

function needsTarget(state: SessionState, type: 'apply' | 'review'): Step {
  if (!state.target) return [{ ...state, message: { text: `choose a target first (t), then ${type}`, level: 'info' } }, []];
  const text = type === 'apply' ? `applying the model to the whole collection for ${state.target}…` : `loading what apply found for ${state.target}…`;
  return [{ ...state, message: { text, level: 'info' } }, [{ type, target: state.target }]];
}

function isStoreCommand(command: Command): command is StoreCommand {
  return command.type === 'label' || command.type === 'unsure' || command.type === 'skip' || command.type === 'undo';
}

/**
 * Once a save or delete is acknowledged, the next key typed ahead is applied to the clip now on screen: a user
 * typing "1 1 1" ahead means the next three clips. Keys wait while no clip is on screen yet.
 */
function applyPending([state, effects]: Step): Step {
  if (state.busy || state.pending.length === 0 || (!state.current && state.pending[0].type !== 'undo')) return [state, effects];
  const [command, ...pending] = state.pending;
  const [next, more] = onStoreCommand({ ...state, pending }, command);
  return applyPending([next, [...effects, ...more]]);
}

function decide(state: SessionState, clip: Clip, decision: Decision): Step {
  return [{ ...state, busy: true }, [{ type: 'stop' }, { type: 'save', clip, decision }]];
}

function undo(state: SessionState): Step {
  const last = state.history[state.history.length - 1];
  if (!last) return [{ ...state, message: { text: 'nothing to undo in this session', level: 'info' } }, []];
  return [{ ...state, busy: true }, [{ type: 'stop' }, { type: 'delete', id: last.id, clip: last.clip }]];
}

function changeTempo(state: SessionState, step: 1 | -1): Step {
  const i = TEMPOS.indexOf(state.tempo);
  const tempo = TEMPOS[Math.max(0, Math.min(TEMPOS.length - 1, i + step))];
  const next = { ...state, tempo, message: { text: `speed ${tempo}x`, level: 'info' as const } };
  return [next, next.current ? [playEffect(next, next.current, false)] : []];
}

/** Moves the next queued clip to the screen and plays it; asks for more clips when the queue runs low. */
function advance(state: SessionState): Step {
  const [current, ...queue] = state.queue;
  const next = { ...state, current, queue };
  const effects: Effect[] = current ? [playEffect(next, current, false)] : [];
  if (queue.length < QUEUE_LOW_WATER && !state.exhausted) effects.push({ type: 'refill', exclude: queuedWindows(next) });
  return [next, effects];
}

function advanceIfIdle(state: SessionState): Step {
  return state.current || state.busy ? [state, []] : advance(state);
}

function queuedWindows(state: SessionState): number[] {
  return [...(state.current ? [state.current.window] : []), ...state.queue.map((c) => c.window)];
}

function playEffect(state: SessionState, clip: Clip, withContext: boolean): Effect {
  return { type: 'play', clip, withContext, tempo: state.tempo };
}

/** Labels per minute over this session; over its first minute, the labels so far (a rate over seconds would soar). */
export function labelRate(state: SessionState, now: number): number {
  return state.sessionCount / Math.max(1, (now - state.startedAt) / 60_000);
}
