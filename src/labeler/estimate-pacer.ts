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
  /** when the oldest label change it takes in was made (Date.now()) */
  since: number;
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
  /** when the labels first changed since the running estimate started, or since the last one ended (Date.now()) */
  private dueSince?: number;
  private timer?: ReturnType<typeof setTimeout>;
  /** no estimate starts before this time (performance.now()) */
  private restUntil = 0;

  constructor(
    private readonly compute: () => Generator<void, T>,
    private readonly done: (result: T) => void,
    private readonly timing: PacerTiming,
  ) {}

  /**
   * Since when (Date.now()) the oldest label change not in the last result has waited for one; undefined when none
   * waits (no estimate is being computed or due).
   */
  get staleSince(): number | undefined {
    return this.job?.since ?? this.dueSince;
  }

  /** The labels changed: a new estimate is due once the keys pause and the thread has rested. */
  changed(): void {
    this.dueSince ??= Date.now();
    if (!this.job) this.arm();
  }

  /** The question changed (another target): the running estimate answers the old one and is dropped. */
  restart(): void {
    const since = this.job?.since;
    if (this.job) this.job.dropped = true;
    this.job = undefined;
    this.dueSince = Math.min(since ?? Infinity, this.dueSince ?? Infinity, Date.now());
    this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    if (this.job) this.job.dropped = true;
    this.job = undefined;
    this.dueSince = undefined;
  }

  private arm(): void {
    clearTimeout(this.timer);
    const wait = Math.max(this.timing.quietMs, this.restUntil - performance.now());
    this.timer = setTimeout(() => this.begin(), wait);
  }

  private begin(): void {
    const job = { steps: this.compute(), since: this.dueSince ?? Date.now(), busyMs: 0, dropped: false };
    this.dueSince = undefined;
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
        if (this.dueSince !== undefined) this.arm();
        return;
      }
      if (performance.now() - started > this.timing.sliceMs) break;
    }
    job.busyMs += performance.now() - started;
    setImmediate(() => this.slice(job));
  }
}
