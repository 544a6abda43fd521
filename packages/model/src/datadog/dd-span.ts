/** The Datadog agent span as the v0.4 and v0.5 payloads carry it (datadog-agent pkg/proto span.proto). */
import type { SpanEvent } from '../span.js';

export interface DdSpan {
  service: string;
  name: string;
  resource: string;
  type: string;
  /** Low 64 bits of the trace id; the high bits travel in meta `_dd.p.tid`. */
  traceId: bigint;
  spanId: bigint;
  parentId: bigint;
  /** ns since the epoch */
  start: bigint;
  /** ns */
  duration: bigint;
  error: number;
  meta: Map<string, string>;
  metrics: Map<string, number>;
  /** Native `span_events` (v0.4 only; dd-trace's default puts them in meta `events` as JSON). */
  events?: SpanEvent[];
}

export const newDdSpan = (): DdSpan => ({
  service: '', name: '', resource: '', type: '', traceId: 0n, spanId: 0n, parentId: 0n, start: 0n, duration: 0n, error: 0,
  meta: new Map(), metrics: new Map(),
});
