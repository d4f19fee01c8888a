import type { LabeledRow } from './discriminant-space.js';

/** The class every row holding the label joins in presenceRows: no class id is negative. */
const PRESENT = -1;

/**
 * The labeled rows as a label's metric learns from them (the question "present or not"): every class whose label set
 * holds the label (`holds[cls]` is 1) is one class, the others stay apart, so the discriminant still has a direction
 * per kind of sound that is not the label. With every label set its own class, the directions also tell music under
 * the host from music under a guest, so a Music vote listens to which voice is over the music: music under a voice no
 * label has heard went to the speech it sounds like (test/ml/multi-label-model.test.ts). A label no set of several
 * labels holds gets the shared partition back, so the same directions.
 */
export function presenceRows(labeled: readonly LabeledRow[], holds: Uint8Array): LabeledRow[] {
  return labeled.map((l) => (holds[l.cls] === 1 ? { row: l.row, cls: PRESENT } : l));
}

/** Whether the label's classes are several (a set of several labels holds it): only then do its directions differ. */
export function hasOwnPartition(holds: Uint8Array): boolean {
  return holds.reduce((n, h) => n + h, 0) > 1;
}
