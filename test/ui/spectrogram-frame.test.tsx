import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { SpectrogramView, spectrogramRows } from '../../src/ui/spectrogram-view.js';

test('the spectrogram on screen is exactly its colour lines, though Ink measures only blanks as wide', () => {
  const rand = seededRandom(4);
  const spec = { columns: 40, bands: 12, levels: Float32Array.from({ length: 40 * 12 }, () => rand()), loudness: new Float32Array(40) };
  const lines = spectrogramRows(spec, 6, 'truecolor');
  const marker = '─'.repeat(10) + '━'.repeat(5) + '─'.repeat(25);
  const drawn = render(<SpectrogramView spec={spec} rows={6} color="truecolor" marker={marker} />);
  const direct = render(
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text color="cyan">{marker}</Text>
    </Box>,
  );
  const frame = drawn.lastFrame()!;
  assert.equal(frame.split('▀').length - 1, 6 * 40, 'every cell of the spectrogram is on screen');
  assert.ok(frame.includes('48;2;'), 'in colour');
  assert.equal(drawn.lastFrame(), direct.lastFrame());
  drawn.unmount();
  direct.unmount();
});
