/**
 * The reference semantics of a trace search, shared by the memory store and the conformance
 * suite; SQL stores translate the same rules. All conditions must hold on one span.
 */
import type { AnyValue, Span } from '@skein/model';
import { serviceName } from '@skein/model';
import type { TraceQuery } from './store.js';

const KIND_NAMES = ['', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

/** Lowercase Jaeger name of an OTLP span kind ('' for unspecified). */
export const spanKindName = (kind: number): string => KIND_NAMES[kind] ?? '';

/** The text an attribute value is compared as in searches. */
export function attributeText(value: AnyValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Whether one span satisfies an attribute filter. Besides span and resource attributes, the
 * pseudo-tags Jaeger users type work: `error=true`, `span.kind=server`, `otel.status_code=ERROR`.
 */
export function attributeMatches(span: Span, key: string, want: string): boolean {
  if (key === 'error') return (span.status.code === 2) === (want === 'true');
  if (key === 'span.kind') return spanKindName(span.kind) === want;
  if (key === 'otel.status_code') return (['UNSET', 'OK', 'ERROR'][span.status.code] ?? '') === want;
  if (key === 'otel.status_description') return span.status.message === want;
  for (const kv of span.attributes) if (kv.key === key && attributeText(kv.value) === want) return true;
  for (const kv of span.resource.attributes) if (kv.key === key && attributeText(kv.value) === want) return true;
  return false;
}

export function spanMatches(q: TraceQuery, span: Span): boolean {
  if (q.service !== undefined && serviceName(span.resource) !== q.service) return false;
  if (q.operation !== undefined && span.name !== q.operation) return false;
  if (q.spanKind !== undefined && q.spanKind !== '' && spanKindName(span.kind) !== q.spanKind) return false;
  if (q.startTimeMinNs !== undefined && span.startTimeUnixNano < q.startTimeMinNs) return false;
  if (q.startTimeMaxNs !== undefined && span.startTimeUnixNano > q.startTimeMaxNs) return false;
  const d = span.endTimeUnixNano - span.startTimeUnixNano;
  if (q.durationMinNs !== undefined && d < q.durationMinNs) return false;
  if (q.durationMaxNs !== undefined && d > q.durationMaxNs) return false;
  if (q.attributes) {
    for (const [k, v] of Object.entries(q.attributes)) if (!attributeMatches(span, k, v)) return false;
  }
  return true;
}
