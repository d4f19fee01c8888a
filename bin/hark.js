#!/usr/bin/env node
// React's development build checks every render; a terminal app for users wants the production one.
process.env.NODE_ENV ??= 'production';
// Ink draws nothing until exit when CI is set; a person at a terminal (even inside a CI job's container) must see it.
if (process.stdin.isTTY && process.stdout.isTTY) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
await import('../dist/cli.js');
