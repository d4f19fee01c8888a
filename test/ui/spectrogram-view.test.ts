import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colorMode } from '../../src/format/color-mode.js';
import { spectrogramRows } from '../../src/ui/spectrogram-view.js';

test('colour is off without a terminal or with NO_COLOR, 24-bit only where the terminal says so, else 256 colours', () => {
  const tty = { isTTY: true };
  assert.equal(colorMode({ NO_COLOR: '1', COLORTERM: 'truecolor' }, tty), false);
  assert.equal(colorMode({ COLORTERM: 'truecolor' }, { isTTY: false }), false);
  assert.equal(colorMode({ TERM: 'dumb' }, tty), false);
  assert.equal(colorMode({ COLORTERM: 'truecolor' }, tty), 'truecolor');
  assert.equal(colorMode({ COLORTERM: '24bit' }, tty), 'truecolor');
  assert.equal(colorMode({ TERM: 'xterm-256color' }, tty), '256', 'over SSH COLORTERM is usually not passed on');
});

test('the spectrogram is drawn in 24-bit colour or in the nearest colours of the 256-colour palette', () => {
  // two columns of two bands: silent, then loud
  const spec = { columns: 2, bands: 2, levels: Float32Array.from([0, 0, 1, 1]), loudness: Float32Array.from([0, 1]) };
  const [truecolor] = spectrogramRows(spec, 1, 'truecolor');
  const [palette] = spectrogramRows(spec, 1, '256');
  assert.equal(truecolor, '\u001b[38;2;0;0;8;48;2;0;0;8m▀\u001b[38;2;255;255;200;48;2;255;255;200m▀\u001b[0m');
  assert.equal(palette, '\u001b[38;5;16;48;5;16m▀\u001b[38;5;230;48;5;230m▀\u001b[0m');
});
