/** Times users type on a command line (`date +%s.%N`, ms, ns, ISO 8601, now) as exact ns. */

import { nowNs } from './context.js';

/**
 * Parses a point in time into nanoseconds since the epoch. Integers are read by their digit
 * count (<=11 seconds, <=14 ms, <=17 µs, else ns) so `date +%s`, `date +%s%3N` and
 * `date +%s%N` all work; decimals are seconds; anything else goes through Date.parse.
 */
export function parseTimeNs(text: string, what = '--start'): bigint {
  const s = text.trim();
  if (s === 'now') return nowNs();
  if (/^\d+$/.test(s)) {
    const n = BigInt(s);
    if (s.length <= 11) return n * 1_000_000_000n;
    if (s.length <= 14) return n * 1_000_000n;
    if (s.length <= 17) return n * 1_000n;
    return n;
  }
  const dec = /^(\d+)\.(\d{1,9})$/.exec(s);
  if (dec) return BigInt(dec[1]!) * 1_000_000_000n + BigInt(dec[2]!.padEnd(9, '0'));
  const ms = Date.parse(s);
  if (!Number.isNaN(ms)) {
    // keep sub-millisecond digits an ISO time may carry (Date.parse drops them)
    const frac = /\.(\d{4,9})(?:Z|[+-]\d\d:?\d\d)?$/.exec(s);
    const extra = frac ? BigInt(frac[1]!.padEnd(9, '0').slice(3)) : 0n;
    return BigInt(ms) * 1_000_000n + extra;
  }
  throw new Error(`${what} "${text}" is not a time: use unix seconds (date +%s.%N), ms, ns, an ISO 8601 time or "now"`);
}
