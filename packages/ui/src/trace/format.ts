/** Human formats for durations, times and counts. */

/** A duration in ns as short text: 850ns, 12.3µs, 4.56ms, 1.23s, 2m 3s. */
export function fmtDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  const a = Math.abs(ns);
  if (a < 1e3) return `${Math.round(ns)}ns`;
  if (a < 1e6) return `${trim(ns / 1e3)}µs`;
  if (a < 1e9) return `${trim(ns / 1e6)}ms`;
  if (a < 60e9) return `${trim(ns / 1e9)}s`;
  const m = Math.floor(a / 60e9);
  const s = Math.round((a - m * 60e9) / 1e9);
  return `${ns < 0 ? '-' : ''}${m}m ${s}s`;
}

/** fmtDuration for axis ticks, without trailing zeros: 2s, 2.5s, 250ms. */
export function fmtAxisDuration(ns: number): string {
  if (ns === 0) return '0';
  return fmtDuration(ns).replace(/(\.\d*?)0+(?=[a-zµ])/, '$1').replace(/\.(?=[a-zµ])/, '');
}

function trim(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** A ns timestamp (bigint or decimal string) as a local date and time with ms. */
export function fmtTime(ns: bigint | string): string {
  const ms = Number(BigInt(ns) / 1_000_000n);
  const d = new Date(ms);
  const pad = (v: number, w = 2) => String(v).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Labels for time-axis ticks (ms since the epoch): the coarsest of HH:MM, HH:MM:SS and
 * HH:MM:SS.mmm that tells every tick apart, with the month and day when the ticks span days.
 * (Always HH:MM:SS printed "22:54:52" twice under ticks a third of a second apart.)
 */
export function fmtAxisTimes(ms: number[]): string[] {
  const full = ms.map((v) => fmtTime(BigInt(Math.round(v)) * 1_000_000n));
  const from = full.every((f) => f.slice(0, 10) === full[0]!.slice(0, 10)) ? 11 : 5;
  for (const to of [16, 19]) {
    const labels = full.map((f) => f.slice(from, to));
    if (new Set(labels).size === labels.length) return labels;
  }
  return full.map((f) => f.slice(from));
}

/** Relative age of a ns timestamp: "3 min ago". */
export function fmtAgo(ns: bigint, nowMs = Date.now()): string {
  const s = Math.round((nowMs - Number(ns / 1_000_000n)) / 1000);
  if (s < 60) return `${Math.max(s, 0)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 call", "2 calls": a count and its noun. */
export function fmtCountOf(n: number, noun: string): string {
  return `${fmtCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export function fmtPercent(f: number): string {
  return `${(f * 100).toFixed(f < 0.1 ? 1 : 0)}%`;
}
