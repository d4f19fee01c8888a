/** Waits, bounded, until the rendered frame matches; the error shows the pattern awaited and the last frame. */
export async function waitForFrame(lastFrame: () => string | undefined, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (pattern.test(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
