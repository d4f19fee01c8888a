import type { Clip, Decision, Effect, Event, SessionState } from '../app/session.js';
import { reduce } from '../app/session.js';
import type { ClipAudio, ClipRequest } from '../audio/clip-loader.js';
import { toInt16 } from '../audio/decode.js';
import type { Player, PlayerStatus } from '../audio/player/types.js';
import type { NewRecord } from '../store/label-repository.js';
import type { LabelRecord } from '../domain/labels.js';

/** Where the next clips come from: random draws now, the model's queue once it is ready. */
export interface ClipSource {
  next(count: number, exclude: number[]): Promise<Clip[]>;
  /** clips like `clip`, none in `exclude` (the clips already queued) */
  similar(clip: Clip, count: number, exclude: number[]): Promise<Clip[]>;
  decided(clip: Clip, decision: Decision): void;
  undone(clip: Clip): void;
  setTarget(target: string | undefined): void;
}

export interface SessionDeps {
  store: { add(rec: NewRecord): Promise<LabelRecord>; remove(id: string): Promise<void>; setConfig(p: { target?: string }): Promise<void> };
  player: Player;
  source: ClipSource;
  loadAudio(req: ClipRequest): Promise<ClipAudio>;
  fileInfo(file: string): { abs: string; duration: number } | undefined;
  /** runs `hark apply` for the target off this thread; resolves with a one-line summary */
  applyModel(target: string): Promise<string>;
  /** one clip from each range the last apply found for the target */
  reviewClips(target: string): Promise<Clip[]>;
  annotator: string;
  onExit(): void;
}

export interface SessionView {
  session: SessionState;
  /** audio of the clip on screen, once decoded */
  audio?: { window: number; data: ClipAudio };
  /** audio of the next clip in the queue, once decoded ahead, so the screen can draw it ahead */
  next?: { window: number; data: ClipAudio };
  player: PlayerStatus;
  /** who else labels this store and how many labels each has (see teamLine); absent when labeling alone */
  team?: string;
}

const REFILL_COUNT = 6;
const PREFETCH = 2;

/** Runs the pure session reducer and carries out its effects: playing, saving, deleting, refilling the queue. */
export class SessionController {
  private view: SessionView;
  private listeners = new Set<() => void>();
  private refilling = false;
  private told = true;
  private unsubscribePlayer: () => void;

  constructor(
    initial: SessionState,
    private readonly deps: SessionDeps,
  ) {
    this.view = { session: initial, player: { mode: deps.player.mode, ok: true } };
    this.unsubscribePlayer = deps.player.onStatus((player) => this.setView({ ...this.view, player }));
  }

  start(): void {
    this.run({ type: 'refill', exclude: [] });
  }

  getView = (): SessionView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch = (event: Event): void => {
    const [session, effects] = reduce(this.view.session, event);
    const audio = this.view.audio?.window === session.current?.window ? this.view.audio : undefined;
    this.setView({ ...this.view, session, audio });
    for (const effect of effects) this.run(effect);
  };

  setTeam(team: string | undefined): void {
    if (team !== this.view.team) this.setView({ ...this.view, team });
  }

  dispose(): void {
    this.unsubscribePlayer();
  }

  /**
   * Listeners hear of a change once the work that made it is done for this turn of the event loop. A key's save is
   * appended to the journal before then (the write is synchronous), so its frame already says saved: the screen is
   * drawn whole, and a frame saying "saving…" before it cost a key as much again.
   */
  private setView(view: SessionView): void {
    this.view = view;
    if (!this.told) return;
    this.told = false;
    setImmediate(() => {
      this.told = true;
      for (const l of this.listeners) l();
    });
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'play':
        return void this.play(effect.clip, effect.withContext, effect.tempo);
      case 'stop':
        return this.deps.player.stop();
      case 'save':
        return void this.save(effect.clip, effect.decision);
      case 'delete':
        return void this.remove(effect.id, effect.clip);
      case 'refill':
        return void this.refill(effect.exclude);
      case 'similar':
        return void this.similar(effect.clip);
      case 'set-target':
        this.deps.source.setTarget(effect.target);
        return void this.deps.store.setConfig({ target: effect.target }).catch((err: Error) => this.fail(err));
      case 'apply':
        return void this.report(this.deps.applyModel(effect.target));
      case 'review':
        return void this.review(effect.target);
      case 'exit':
        return this.deps.onExit();
    }
  }

  private request(clip: Clip, tempo: number): ClipRequest | undefined {
    const info = this.deps.fileInfo(clip.file);
    return info && { abs: info.abs, start: clip.start, duration: clip.duration, fileDuration: info.duration, tempo };
  }

  private async play(clip: Clip, withContext: boolean, tempo: number): Promise<void> {
    const req = this.request(clip, tempo);
    if (!req) return this.fail(new Error(`${clip.file} is no longer in the collection; press s to skip`));
    try {
      const data = await this.deps.loadAudio(req);
      if (this.view.session.current?.window !== clip.window) return;
      const samples = withContext ? data.samples : data.samples.subarray(data.clipFrom, data.clipTo);
      this.deps.player.play(toInt16(samples), data.sampleRate);
      if (this.view.audio?.window !== clip.window) this.setView({ ...this.view, audio: { window: clip.window, data } });
    } catch (err) {
      if (this.view.session.current?.window === clip.window) {
        this.fail(new Error(`cannot play ${clip.file}: ${(err as Error).message} — press s to skip`));
      }
    }
    this.prefetch();
  }

  private prefetch(): void {
    for (const [i, clip] of this.view.session.queue.slice(0, PREFETCH).entries()) {
      const req = this.request(clip, this.view.session.tempo);
      const loading = req && this.deps.loadAudio(req);
      loading?.then(
        (data) => {
          const next = this.view.session.queue[0]?.window === clip.window && this.view.next?.window !== clip.window;
          if (i === 0 && next) this.setView({ ...this.view, next: { window: clip.window, data } });
        },
        () => {},
      );
    }
  }

  private async save(clip: Clip, decision: Decision): Promise<void> {
    try {
      const rec = await this.deps.store.add({
        file: clip.file,
        start: clip.start,
        duration: clip.duration,
        label: decision.label,
        ...(decision.labels && { labels: decision.labels }),
        kind: decision.kind,
        annotator: this.deps.annotator,
        how: clip.how,
        strategy: clip.strategy,
        score: clip.score,
        modelVersion: clip.modelVersion,
        drawProbability: clip.drawProbability,
        ...(clip.weighted && { weighted: true }),
      });
      // the source hears of the decision before the queue asks it for more, or it may offer this clip again
      this.deps.source.decided(clip, decision);
      this.dispatch({ type: 'saved', id: rec.id, clip, decision });
    } catch (err) {
      this.dispatch({ type: 'failed', text: `NOT SAVED: ${(err as Error).message}` });
    }
  }

  private async remove(id: string, clip: Clip): Promise<void> {
    try {
      await this.deps.store.remove(id);
      this.deps.source.undone(clip);
      this.dispatch({ type: 'deleted', clip });
    } catch (err) {
      this.dispatch({ type: 'failed', text: `undo failed: ${(err as Error).message}` });
    }
  }

  private async refill(exclude: number[]): Promise<void> {
    if (this.refilling) return;
    this.refilling = true;
    try {
      const clips = await this.deps.source.next(REFILL_COUNT, exclude);
      this.dispatch(clips.length ? { type: 'clips', clips } : { type: 'exhausted' });
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.refilling = false;
    }
  }

  private async similar(clip: Clip): Promise<void> {
    try {
      const { current, queue } = this.view.session;
      const queued = [...(current ? [current] : []), ...queue].map((c) => c.window);
      const clips = await this.deps.source.similar(clip, 10, queued);
      if (clips.length === 0) {
        this.dispatch({ type: 'message', message: { text: 'no similar clips yet: the model is still getting ready', level: 'info' } });
        return;
      }
      this.dispatch({ type: 'clips', clips, front: true });
      this.dispatch({ type: 'message', message: { text: `queued ${clips.length} clips like this one`, level: 'info' } });
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private async report(work: Promise<string>): Promise<void> {
    try {
      this.dispatch({ type: 'message', message: { text: await work, level: 'info' } });
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private async review(target: string): Promise<void> {
    try {
      const clips = await this.deps.reviewClips(target);
      if (clips.length === 0) return this.fail(new Error(`nothing to review for ${target}: run apply (a) first`));
      this.dispatch({ type: 'clips', clips, front: true });
      this.dispatch({ type: 'message', message: { text: `next: one clip from each of ${clips.length} ranges apply found for ${target}; your label confirms or rejects it`, level: 'info' } });
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private fail(err: Error): void {
    this.dispatch({ type: 'message', message: { text: err.message, level: 'error' } });
  }
}
