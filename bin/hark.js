#!/usr/bin/env node
// React's development build checks every render; a terminal app for users wants the production one.
process.env.NODE_ENV ??= 'production';
await import('../dist/cli.js');
