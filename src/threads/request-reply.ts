/** What requests travel over: a worker thread, or a child process (its send() as postMessage). */
export interface RequestChannel {
  postMessage(message: unknown): void;
  on(event: 'message' | 'error' | 'exit', listener: (...args: any[]) => void): unknown;
}

/** Requests to a worker thread or process, each answered by the reply that carries its id. */
export interface Requests<Request, Reply> {
  /** posts the request with a fresh id; resolves with the reply of that id, rejects once the worker has stopped */
  ask(request: Request): Promise<Reply>;
  /** true once the worker stopped: nothing asked now is answered */
  readonly stopped: boolean;
}

/**
 * Pairs a worker's replies with the requests that asked for them. Messages without a waiting id (events such as a
 * status) go to `onEvent`. When the worker errs or exits, every request still waiting is rejected ("the worker
 * stopped"), so no caller waits forever on a dead thread.
 */
export function workerRequests<Request extends object, Reply extends { id: number }, Event = never>(
  worker: RequestChannel,
  opts: { onEvent?: (event: Event) => void } = {},
): Requests<Request, Reply> {
  const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (err: Error) => void }>();
  const stoppedError = (why?: Error) => new Error(`the worker stopped${why ? `: ${why.message}` : ''}`);
  let nextId = 0;
  let stopped = false;
  const stop = (why?: Error) => {
    stopped = true;
    const err = stoppedError(why);
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (msg: Reply | Event) => {
    const id = (msg as { id?: unknown }).id;
    const w = typeof id === 'number' ? waiting.get(id) : undefined;
    if (!w) return opts.onEvent?.(msg as Event);
    waiting.delete(id as number);
    w.resolve(msg as Reply);
  });
  worker.on('error', (err) => stop(err));
  worker.on('exit', () => stop());
  return {
    ask(request) {
      if (stopped) return Promise.reject(stoppedError());
      const id = nextId++;
      return new Promise<Reply>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...request, id });
      });
    },
    get stopped() {
      return stopped;
    },
  };
}
