/** A content key for a span, so stores can drop exact duplicates from at-least-once delivery. */
import { createHash } from 'node:crypto';
import type { Span } from '@skein/model';

const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x,
  );

/** trace id + span id + a 64-bit hash of everything else the span carries. */
export function spanFingerprint(span: Span): string {
  const { traceId, spanId, ...rest } = span;
  const h = createHash('sha1').update(json(rest)).digest('hex').slice(0, 16);
  return `${traceId}${spanId}${h}`;
}
