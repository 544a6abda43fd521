/** Axis helpers shared by the charts. */

/** Round tick values from 0 up to at least max: steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const step0 = max / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0)!;
  const out = [];
  for (let v = 0; out.length === 0 || out[out.length - 1]! < max; v += step) out.push(v);
  return out;
}
