/** Work done in steps (a generator that yields between them), for a thread that answers requests in between. */
export type Steps<T> = Generator<void, T>;

/** Runs every step at once: for a caller with nobody waiting. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
