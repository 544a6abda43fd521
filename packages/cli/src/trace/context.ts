/** W3C trace context as the CLI carries it through the environment (ids, TRACEPARENT), and the clock. */

const originNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Nanoseconds since the epoch: wall clock at start-up plus the monotonic clock since, so a
 * span never ends before it starts even when the wall clock steps. */
export const nowNs = (): bigint => originNs + process.hrtime.bigint();

const HEX = '0123456789abcdef';

/** Random lowercase hex of `n` digits; never all zeros (invalid per W3C). Math.random is what
 * OpenTelemetry JS uses too, and it avoids loading crypto on the exec fast path. */
export function randomHex(n: number): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[(Math.random() * 16) | 0];
    if (!/^0+$/.test(s)) return s;
  }
}

export interface ParentContext {
  traceId: string;
  spanId: string;
  flags: number;
  traceState: string;
}

const TP_RE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Parses a traceparent header value. Returns undefined for an empty value and throws a message
 * for an invalid one (the caller warns and starts a new trace).
 */
export function parseTraceparent(value: string | undefined, traceState = ''): ParentContext | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  const m = TP_RE.exec(v);
  if (!m || m[1] === 'ff' || (m[1] === '00' && m[5] !== undefined)) {
    throw new Error(`TRACEPARENT "${value}" is not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)`);
  }
  if (/^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) throw new Error(`TRACEPARENT "${value}" has an all-zero id`);
  return { traceId: m[2]!, spanId: m[3]!, flags: parseInt(m[4]!, 16), traceState: traceState.trim() };
}

export function formatTraceparent(traceId: string, spanId: string, flags: number): string {
  return `00-${traceId}-${spanId}-${(flags & 0xff).toString(16).padStart(2, '0')}`;
}
