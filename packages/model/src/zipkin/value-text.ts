/** Renders typed attribute values as text for formats whose tags are strings (Zipkin, Datadog meta). */
import type { AnyValue } from '../span.js';

function toJsonable(v: AnyValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toJsonable);
  const o: Record<string, unknown> = {};
  for (const kv of v.kvlist) o[kv.key] = toJsonable(kv.value);
  return o;
}

/**
 * Text form of a value: strings as they are, numbers, bools and int64 in decimal, bytes in
 * base64, arrays and kvlists as JSON, null as ''.
 */
export function valueToText(v: AnyValue): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return JSON.stringify(toJsonable(v));
}
