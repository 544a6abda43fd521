/** Span times: performance.now() ms while running, exact epoch ns at export (no BigInt on the hot path). */

import type { TimeInput } from '@opentelemetry/api';

const ORIGIN_MS = performance.timeOrigin;
const ORIGIN_NS = BigInt(Math.round(ORIGIN_MS * 1000)) * 1000n;
/** ORIGIN_NS as two unsigned 32-bit halves, so the encoder adds numbers instead of bigints. */
const ORIGIN_HI = Number(ORIGIN_NS >> 32n);
const ORIGIN_LO = Number(ORIGIN_NS & 0xffffffffn);
const TWO32 = 0x100000000;

export const nowMs = (): number => performance.now();

/** A user-given time as ms on the performance.now() scale. */
export function toRelMs(t: TimeInput): number {
  if (typeof t === 'number') return t < ORIGIN_MS ? t : t - ORIGIN_MS;
  if (t instanceof Date) return t.getTime() - ORIGIN_MS;
  return t[0] * 1e3 + t[1] / 1e6 - ORIGIN_MS;
}

export function relMsToNs(ms: number): bigint {
  return ORIGIN_NS + BigInt(Math.round(ms * 1e6));
}

/**
 * Writes relMsToNs(ms) as a little-endian fixed64 at `buf[pos..pos+8)`: the same value, computed
 * as 32-bit halves (exact while the offset from the time origin stays under 2^53 ns, ~104 days).
 */
export function writeRelMsAsNs(buf: Uint8Array, pos: number, ms: number): void {
  const rel = Math.round(ms * 1e6);
  const relHi = Math.floor(rel / TWO32);
  let lo = ORIGIN_LO + (rel - relHi * TWO32);
  let hi = ORIGIN_HI + relHi;
  if (lo >= TWO32) {
    lo -= TWO32;
    hi++;
  }
  buf[pos] = lo & 0xff;
  buf[pos + 1] = (lo >>> 8) & 0xff;
  buf[pos + 2] = (lo >>> 16) & 0xff;
  buf[pos + 3] = lo >>> 24;
  hi >>>= 0;
  buf[pos + 4] = hi & 0xff;
  buf[pos + 5] = (hi >>> 8) & 0xff;
  buf[pos + 6] = (hi >>> 16) & 0xff;
  buf[pos + 7] = hi >>> 24;
}
