import type { Clip } from '../app/session.js';
import type { Collection } from '../collection/open-collection.js';
import type { Choice } from '../ml/choice.js';
import type { Learner } from './learner.js';
import type { ClipSource } from './session-controller.js';
import { labelsOf } from '../domain/labels.js';

export function clipOfChoice(collection: Collection, choice: Choice): Clip {
  const { grid, files } = collection;
  const w = choice.window;
  return { ...choice, file: files[grid.fileOf(w)].path, start: grid.startOf(w), duration: grid.durationOf(w) };
}

/** The labeling queue fed by the background learner: random at first, the model's choices once it is ready. */
export function learnerClipSource(collection: Collection, learner: Learner): ClipSource {
  const toClips = (choices: Choice[]) => choices.map((c) => clipOfChoice(collection, c));
  return {
    next: async (count, exclude) => toClips(await learner.next(count, new Set(exclude))),
    similar: async (clip, count, exclude) => toClips(await learner.similar(clip.window, count, new Set(exclude))),
    decided: (clip, decision) => learner.addLabel(clip.window, labelsOf(decision), decision.kind, clip.how),
    undone: (clip) => learner.removeLabel(clip.window),
    setTarget: (target) => learner.setTarget(target),
  };
}
