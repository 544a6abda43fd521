/** Exact time conversions: nanoseconds stay bigint; only µs and ms may become numbers. */

/** Microseconds, truncated as Jaeger does (ns / 1000, rounded toward zero). */
export const nsToMicros = (ns: bigint): number => Number(ns / 1000n);
export const microsToNs = (us: number | bigint): bigint => BigInt(us) * 1000n;
export const nsToMillis = (ns: bigint): number => Number(ns / 1_000_000n);
export const millisToNs = (ms: number): bigint => BigInt(Math.trunc(ms)) * 1_000_000n;
export const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9 };

/**
 * Parses a Go-style duration ("10ms", "1.5s", "1h30m", "250us", and "7d" for days) into nanoseconds.
 * Returns undefined when the text is not a duration.
 */
export function parseDurationNs(text: string): bigint | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+$/.test(s)) return undefined;
  const re = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += parseFloat(m[1]!) * UNIT_NS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== s.length) return undefined;
  return BigInt(Math.round(total));
}
