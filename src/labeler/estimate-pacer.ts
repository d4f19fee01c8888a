/** How the pacer slices and rests: BUILD_SLICE_MS-long slices, a quiet spell before starting, a rest after. */
export interface PacerTiming {
  /** longest stretch one slice runs before letting queued requests through */
  sliceMs: number;
  /** how long the labels must stay unchanged before an estimate starts */
  quietMs: number;
  /** the rest after an estimate, as a multiple of the time its slices took */
  restFactor: number;
}

interface Job<T> {
  steps: Generator<void, T>;
  /** the time its slices took so far */
  busyMs: number;
  dropped: boolean;
}

/**
 * Runs the recall estimate in slices on the learner's thread, for at most a share of its time. Fitting the model to
 * every label and voting on each one held out costs seconds near the end of a large collection (7 s of CPU at 16,000
 * labels, 30 s when the draws were weighted): dropped and restarted on every pause of the keys, it never finished and
 * kept the thread busy. An estimate runs to its end on the labels it started with; labels made meanwhile wait for
 * the next, which starts after the keys have paused and the thread has rested `restFactor` times as long as the last
 * estimate's slices took, so the estimate takes at most 1 / (1 + restFactor) of the thread.
 */
export class EstimatePacer<T> {
  private job?: Job<T>;
  /** the labels changed since the running estimate started, or since the last one ended */
  private due = false;
  private timer?: ReturnType<typeof setTimeout>;
  /** no estimate starts before this time (performance.now()) */
  private restUntil = 0;

  constructor(
    private readonly compute: () => Generator<void, T>,
    private readonly done: (result: T) => void,
    private readonly timing: PacerTiming,
  ) {}

  /** The estimate is being computed, or waits to be, for labels newer than the last result. */
  get pending(): boolean {
    return this.due || this.job !== undefined;
  }

  /** The labels changed: a new estimate is due once the keys pause and the thread has rested. */
  changed(): void {
    this.due = true;
    if (!this.job) this.arm();
  }

  /** The question changed (another target): the running estimate answers the old one and is dropped. */
  restart(): void {
    if (this.job) this.job.dropped = true;
    this.job = undefined;
    this.changed();
  }

  stop(): void {
    clearTimeout(this.timer);
    if (this.job) this.job.dropped = true;
    this.job = undefined;
    this.due = false;
  }

  private arm(): void {
    clearTimeout(this.timer);
    const wait = Math.max(this.timing.quietMs, this.restUntil - performance.now());
    this.timer = setTimeout(() => this.begin(), wait);
  }

  private begin(): void {
    this.due = false;
    const job = { steps: this.compute(), busyMs: 0, dropped: false };
    this.job = job;
    this.slice(job);
  }

  private slice(job: Job<T>): void {
    if (job.dropped) return;
    const started = performance.now();
    for (;;) {
      const step = job.steps.next();
      if (step.done) {
        job.busyMs += performance.now() - started;
        this.job = undefined;
        this.restUntil = performance.now() + job.busyMs * this.timing.restFactor;
        this.done(step.value);
        if (this.due) this.arm();
        return;
      }
      if (performance.now() - started > this.timing.sliceMs) break;
    }
    job.busyMs += performance.now() - started;
    setImmediate(() => this.slice(job));
  }
}
