/** Seconds as h:mm:ss, with `decimals` digits of fractions ("1:02:03.4"); hours grow past 24 rather than wrap. */
export function formatClock(seconds: number, decimals = 0): string {
  const scale = 10 ** decimals;
  // Round once, in whole units of the last shown digit, so 59.96 s becomes 0:01:00.0 and never 0:00:60.0.
  const units = Math.round(Math.abs(seconds) * scale);
  const hours = Math.floor(units / (3600 * scale));
  const minutes = Math.floor(units / (60 * scale)) % 60;
  const secs = ((units % (60 * scale)) / scale).toFixed(decimals).padStart(decimals > 0 ? decimals + 3 : 2, '0');
  const sign = seconds < 0 && units > 0 ? '-' : '';
  return `${sign}${hours}:${String(minutes).padStart(2, '0')}:${secs}`;
}

/** Seconds from "14.5", "0:14.5" or "1:02:03.4" (as formatClock writes them); undefined for anything else. */
export function parseClock(text: string): number | undefined {
  if (!/^\d+(\.\d+)?$|^\d+(:[0-5]\d){1,2}(\.\d+)?$/.test(text.trim())) return undefined;
  return text
    .trim()
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0);
}
