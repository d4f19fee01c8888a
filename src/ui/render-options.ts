import type { RenderOptions } from 'ink';

/**
 * How `hark label` hands the App to Ink. Ink redraws at most 30 times a second by default: a key's answer then
 * waits behind the frames before it (measured at 100 hours: median 55 ms from key to screen). At 120 it follows
 * within a few milliseconds; redraws still happen only when something changed.
 */
export const SCREEN_RENDER_OPTIONS = { exitOnCtrlC: false, maxFps: 120 } satisfies RenderOptions;
