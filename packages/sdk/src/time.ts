/** Span times: performance.now() ms while running, exact epoch ns at export. */

import type { TimeInput } from '@opentelemetry/api';

const ORIGIN_MS = performance.timeOrigin;
const ORIGIN_NS = BigInt(Math.round(ORIGIN_MS * 1000)) * 1000n;

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
