#!/usr/bin/env -S node --max-semi-space-size=2
// The flag keeps V8's young generation at 2 MB instead of 16: about 30 MB less resident on an old laptop, at no
// measurable cost in keypress latency. `node bin/hark.js` works too, without it.
// React's development build checks every render; a terminal app for users wants the production one.
process.env.NODE_ENV ??= 'production';
// Ink draws nothing until exit when CI is set; a person at a terminal (even inside a CI job's container) must see it.
if (process.stdin.isTTY && process.stdout.isTTY) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
await import('../dist/hark.js');
