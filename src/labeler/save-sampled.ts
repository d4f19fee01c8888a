import type { LabelRecord } from '../domain/labels.js';
import type { LabelRepository } from '../store/label-repository.js';

/**
 * The owner's answer to the learner's 'sampled' event: marks the latest decision about the window as part of the
 * random sample. A failed write costs only that sample after a restart, so it is not reported.
 */
export function saveSampled(repo: LabelRepository, windowOf: (r: LabelRecord) => number): (window: number) => void {
  return (window) => {
    const records = repo.records;
    for (let i = records.length - 1; i >= 0; i--) {
      if (windowOf(records[i]) !== window) continue;
      if (!records[i].sampled) void repo.markSampled(records[i].id).catch(() => {});
      return;
    }
  };
}
