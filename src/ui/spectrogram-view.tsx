import { Box, Text, Transform } from 'ink';
import { useEffect, useMemo } from 'react';
import type { Spectrogram } from '../audio/spectrogram.js';
import type { ColorMode } from '../format/color-mode.js';
import { drawAhead } from './ink-line-cache.js';

const PALETTE: [number, number, number][] = [
  [0, 0, 8], [40, 0, 90], [120, 0, 140], [200, 40, 90], [250, 110, 30], [255, 200, 40], [255, 255, 200],
];
const STRIP = ' ▁▂▃▄▅▆▇█';

function heat(level: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, level)) * (PALETTE.length - 1);
  const i = Math.min(PALETTE.length - 2, Math.floor(x));
  const t = x - i;
  const [a, b] = [PALETTE[i], PALETTE[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * t)) as [number, number, number];
}

/** Colour steps: neighbouring cells usually share a step, so one escape code covers a run of them. */
const STEPS = 12;
const HEAT_RGB = Array.from({ length: STEPS }, (_, i) => heat(i / (STEPS - 1)));
/** The steps as SGR colour arguments: 24-bit, or the nearest colour of the xterm 256-colour cube. */
const HEAT: Record<Exclude<ColorMode, false>, string[]> = {
  truecolor: HEAT_RGB.map((rgb) => `2;${rgb.join(';')}`),
  '256': HEAT_RGB.map(([r, g, b]) => `5;${16 + 36 * cubeLevel(r) + 6 * cubeLevel(g) + cubeLevel(b)}`),
};

/** The nearest of the cube's six levels per channel: 0, 95, 135, 175, 215, 255. */
function cubeLevel(v: number): number {
  return v < 48 ? 0 : v < 115 ? 1 : Math.min(5, Math.floor((v - 35) / 40));
}

/** Rows of colour half-blocks: each character cell shows two frequency bands (upper half = higher band). */
export function spectrogramRows(spec: Spectrogram, rows: number, mode: Exclude<ColorMode, false>): string[] {
  const palette = HEAT[mode];
  const step = (level: number) => Math.round(Math.max(0, Math.min(1, level)) * (STEPS - 1));
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const hi = spec.bands - 1 - 2 * r;
    let line = '';
    let [fg, bg] = ['', ''];
    for (let c = 0; c < spec.columns; c++) {
      const top = palette[step(spec.levels[c * spec.bands + hi])];
      const bottom = palette[step(spec.levels[c * spec.bands + hi - 1])];
      // only the colour that changed: the screen reads these codes again on every clip, a quarter fewer of them
      if (top !== fg && bottom !== bg) line += `\u001b[38;${top};48;${bottom}m`;
      else if (top !== fg) line += `\u001b[38;${top}m`;
      else if (bottom !== bg) line += `\u001b[48;${bottom}m`;
      [fg, bg] = [top, bottom];
      line += '▀';
    }
    out.push(`${line}\u001b[0m`);
  }
  return out;
}

/** One line of block characters whose height follows loudness: readable with colour off. */
export function loudnessStrip(spec: Spectrogram): string {
  let line = '';
  for (let c = 0; c < spec.columns; c++) line += STRIP[Math.round(spec.loudness[c] * (STRIP.length - 1))];
  return line;
}

/** A marker line: '─' over context, '━' over the clip itself. */
export function clipMarker(columns: number, clipFrom: number, clipTo: number, total: number): string {
  const a = Math.floor((clipFrom / total) * columns);
  const b = Math.max(a + 1, Math.ceil((clipTo / total) * columns));
  return '─'.repeat(a) + '━'.repeat(b - a) + '─'.repeat(Math.max(0, columns - b));
}

/** `upcoming`: the next clip's spectrogram, drawn ahead so that the key that brings it on screen finds it drawn */
export function SpectrogramView(props: { spec?: Spectrogram; upcoming?: Spectrogram; rows: number; color: ColorMode; marker: string }) {
  const { spec, upcoming, rows, color, marker } = props;
  // drawn once per clip, not on every render of the screen around it
  const lines = useMemo(() => (spec ? (color ? spectrogramRows(spec, rows, color) : [loudnessStrip(spec)]) : []), [spec, rows, color]);
  useEffect(() => {
    if (upcoming && color) void drawAhead(spectrogramRows(upcoming, rows, color));
  }, [upcoming, rows, color]);
  if (!spec) {
    return (
      <Box flexDirection="column" height={(color ? rows : 1) + 1}>
        <Text dimColor>decoding…</Text>
      </Box>
    );
  }
  // Ink measures every Text's content on every frame, and string-width takes about a millisecond over a colour line's
  // escape codes and half-blocks (a dozen lines: most of a key's frame); a blank as wide measures in a microsecond,
  // and the transform puts the line in its place as the frame is written
  const blank = ' '.repeat(spec.columns);
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Transform key={i} transform={() => line}>
          <Text>{blank}</Text>
        </Transform>
      ))}
      <Text color={color ? 'cyan' : undefined}>{marker}</Text>
    </Box>
  );
}
