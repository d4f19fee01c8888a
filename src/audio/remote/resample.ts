/** Linear-interpolation resampling of mono s16 samples: good enough for listening, not for analysis. */
export function resampleLinear(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate || pcm.length === 0) return pcm;
  const out = new Int16Array(Math.max(1, Math.round((pcm.length * toRate) / fromRate)));
  const step = fromRate / toRate;
  const last = pcm.length - 1;
  for (let i = 0; i < out.length; i++) {
    const position = Math.min(i * step, last);
    const left = Math.floor(position);
    const right = Math.min(left + 1, last);
    const fraction = position - left;
    out[i] = Math.round(pcm[left] + (pcm[right] - pcm[left]) * fraction);
  }
  return out;
}
