import type { LabelDef, LabelRecord } from '../domain/labels.js';
import { labelFields, labelsOf, NOT_SURE, SKIPPED } from '../domain/labels.js';
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

/**
 * Commands that write to the store (save or delete a decision), and the + and Esc that lead up to a save; only one
 * save or delete is on its way to disk at a time, and keys typed meanwhile wait their turn, in order.
 */
export type StoreCommand = Extract<Command, { type: 'label' | 'unsure' | 'skip' | 'undo' | 'also' | 'cancel' }>;

/** What a key decided about a clip: `labels` lists every label when the clip holds more than one sound (see labelFields). */
export type Decision = Pick<LabelRecord, 'label' | 'labels' | 'kind'>;

export interface Message {
  text: string;
  level: 'info' | 'error';
}

export interface SessionState {
  labels: LabelDef[];
  current?: Clip;
  queue: Clip[];
  /** labels given with + to the clip on screen: saved with it when a label key without + finishes the clip */
  moreLabels: string[];
  /** + was pressed: the next label key adds a label to the clip on screen instead of finishing it */
  adding: boolean;
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
    moreLabels: [],
    adding: false,
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
      const counts = { ...state.counts };
      for (const label of labelsOf(event.decision)) counts[label] = (counts[label] ?? 0) + 1;
      const history = [...state.history, { id: event.id, clip: event.clip, decision: event.decision }];
      const next = { ...state, busy: false, counts, history, sessionCount: state.sessionCount + 1, message: undefined, moreLabels: [], adding: false };
      return applyPending(advance({ ...next, current: undefined }));
    }
    case 'deleted': {
      const last = state.history[state.history.length - 1];
      const labels = labelsOf(last.decision);
      const counts = { ...state.counts };
      for (const label of labels) counts[label] = Math.max(0, (state.counts[label] ?? 1) - 1);
      const queue = state.current ? [state.current, ...state.queue] : state.queue;
      const restored: SessionState = {
        ...state,
        busy: false,
        counts,
        history: state.history.slice(0, -1),
        sessionCount: Math.max(0, state.sessionCount - 1),
        current: event.clip,
        queue,
        moreLabels: [],
        adding: false,
        message: { text: `undone: ${labels.join(' + ')}`, level: 'info' },
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
  if (command.type === 'undo') return state.adding || state.moreLabels.length ? takeBackMore(state) : undo(state);
  if (command.type === 'cancel') return [state.adding ? { ...state, adding: false, message: { text: '+ cancelled', level: 'info' } } : state, []];
  const clip = state.current;
  if (!clip) return [state, []];
  switch (command.type) {
    case 'also':
      return [{ ...state, adding: true, message: { text: "+ : press the key of another label in this clip (Esc cancels)", level: 'info' } }, []];
    case 'label': {
      const def = state.labels[command.index];
      if (!def) return [state, []];
      if (state.adding) return addMore(state, def.name);
      return decide(state, clip, { ...labelFields([...state.moreLabels, def.name]), kind: 'label' });
    }
    case 'unsure':
    case 'skip': {
      if (state.adding || state.moreLabels.length) {
        const text = `this clip has ${state.moreLabels.join(' + ') || 'a + waiting'}: finish it with a label key, or take it back with undo`;
        return [{ ...state, message: { text, level: 'info' } }, []];
      }
      return decide(state, clip, command.type === 'unsure' ? { label: NOT_SURE, kind: 'unsure' } : { label: SKIPPED, kind: 'skip' });
    }
  }
}

/** A label given with + joins the clip's labels so far; the clip stays on screen. */
function addMore(state: SessionState, label: string): Step {
  const moreLabels = state.moreLabels.includes(label) ? state.moreLabels : [...state.moreLabels, label];
  const text = `${moreLabels.join(' + ')} so far: + adds another, a label key alone finishes the clip`;
  return [{ ...state, moreLabels, adding: false, message: { text, level: 'info' } }, []];
}

/** Undo before the clip is finished: a waiting + first, then the labels added with +, newest first; nothing on disk. */
function takeBackMore(state: SessionState): Step {
  if (state.adding) return [{ ...state, adding: false, message: { text: '+ cancelled', level: 'info' } }, []];
  const moreLabels = state.moreLabels.slice(0, -1);
  return [{ ...state, moreLabels, message: { text: `took back ${state.moreLabels[state.moreLabels.length - 1]}`, level: 'info' } }, []];
}

function needsTarget(state: SessionState, type: 'apply' | 'review'): Step {
  if (!state.target) return [{ ...state, message: { text: `choose a target first (t), then ${type}`, level: 'info' } }, []];
  const text = type === 'apply' ? `applying the model to the whole collection for ${state.target}…` : `loading what apply found for ${state.target}…`;
  return [{ ...state, message: { text, level: 'info' } }, [{ type, target: state.target }]];
}

function isStoreCommand(command: Command): command is StoreCommand {
  return ['label', 'unsure', 'skip', 'undo', 'also', 'cancel'].includes(command.type);
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
