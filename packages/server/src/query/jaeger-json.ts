/**
 * Canonical spans -> the Jaeger UI's JSON trace model (Jaeger's `uimodel`), converted the way
 * Jaeger's OTLP translator does: resource -> process, kind/status/scope -> tags, events -> logs,
 * parent -> CHILD_OF and links -> FOLLOWS_FROM references. The Jaeger model has no place for
 * link attributes or trace state, so those are lost (the OTLP API under /api/v3 keeps them).
 */
import type { AnyValue, KeyValue, Resource, Span } from '@skein/model';
import { nsToMicros, serviceName } from '@skein/model';
import { spanKindName } from '../store/match.js';
import { RawInt } from './http.js';

export type JaegerValueType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export interface JaegerKeyValue {
  key: string;
  type: JaegerValueType;
  value: string | boolean | number | RawInt;
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerLog {
  timestamp: number;
  fields: JaegerKeyValue[];
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  flags: number;
  operationName: string;
  references: JaegerReference[];
  startTime: number;
  duration: number;
  tags: JaegerKeyValue[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

/** An attribute value as JSON text, the way OpenTelemetry's Value.AsString renders arrays and maps. */
function valueJson(v: AnyValue): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (Array.isArray(v)) return `[${v.map(valueJson).join(',')}]`;
  return `{${v.kvlist.map((kv) => `${JSON.stringify(kv.key)}:${valueJson(kv.value)}`).join(',')}}`;
}

/** One typed Jaeger tag; arrays and key-value lists become their JSON text (type string). */
export function jaegerTag(key: string, v: AnyValue): JaegerKeyValue {
  switch (typeof v) {
    case 'string':
      return { key, type: 'string', value: v };
    case 'boolean':
      return { key, type: 'bool', value: v };
    case 'bigint':
      return { key, type: 'int64', value: Number.isSafeInteger(Number(v)) ? Number(v) : new RawInt(v) };
    case 'number':
      // JSON has no NaN or Infinity; their names are the most faithful text.
      return Number.isFinite(v) ? { key, type: 'float64', value: v } : { key, type: 'string', value: String(v) };
  }
  if (v === null) return { key, type: 'string', value: '' };
  if (v instanceof Uint8Array) return { key, type: 'binary', value: Buffer.from(v).toString('base64') };
  return { key, type: 'string', value: valueJson(v) };
}

const tagsOf = (kvs: KeyValue[]): JaegerKeyValue[] => kvs.map((kv) => jaegerTag(kv.key, kv.value));

const STATUS_NAMES = ['', 'OK', 'ERROR'] as const;

function spanTags(span: Span): JaegerKeyValue[] {
  const tags = tagsOf(span.attributes);
  if (span.scope.name) tags.push({ key: 'otel.scope.name', type: 'string', value: span.scope.name });
  if (span.scope.version) tags.push({ key: 'otel.scope.version', type: 'string', value: span.scope.version });
  const kind = spanKindName(span.kind);
  if (kind) tags.push({ key: 'span.kind', type: 'string', value: kind });
  const status = STATUS_NAMES[span.status.code];
  if (status) tags.push({ key: 'otel.status_code', type: 'string', value: status });
  if (span.status.code === 2) tags.push({ key: 'error', type: 'bool', value: true });
  if (span.status.message) {
    tags.push({ key: 'otel.status_description', type: 'string', value: span.status.message });
  }
  if (span.traceState) tags.push({ key: 'w3c.tracestate', type: 'string', value: span.traceState });
  return tags;
}

function references(span: Span): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (span.parentSpanId) refs.push({ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId });
  for (const link of span.links) {
    // OpenTracing bridges mark a second parent with this attribute; everything else follows from.
    const childOf = link.attributes.some((a) => a.key === 'opentracing.ref_type' && a.value === 'child_of');
    refs.push({ refType: childOf ? 'CHILD_OF' : 'FOLLOWS_FROM', traceID: link.traceId, spanID: link.spanId });
  }
  return refs;
}

function logs(span: Span): JaegerLog[] {
  return span.events.map((e) => {
    const fields = tagsOf(e.attributes);
    if (e.name && !e.attributes.some((a) => a.key === 'event')) {
      fields.unshift({ key: 'event', type: 'string', value: e.name });
    }
    return { timestamp: nsToMicros(e.timeUnixNano), fields };
  });
}

/** Assigns p1, p2, ... to distinct processes; spans of one batch share Resource objects, so cache by reference first. */
class ProcessTable {
  readonly processes: Record<string, JaegerProcess> = {};
  private readonly byRef = new Map<Resource, string>();
  private readonly byKey = new Map<string, string>();

  idOf(resource: Resource): string {
    const known = this.byRef.get(resource);
    if (known) return known;
    const proc: JaegerProcess = {
      serviceName: serviceName(resource),
      tags: tagsOf(resource.attributes.filter((kv) => kv.key !== 'service.name')),
    };
    const key = JSON.stringify(proc, (_k, x: unknown) => (x instanceof RawInt ? x.value.toString() : x));
    let id = this.byKey.get(key);
    if (!id) {
      id = `p${this.byKey.size + 1}`;
      this.byKey.set(key, id);
      this.processes[id] = proc;
    }
    this.byRef.set(resource, id);
    return id;
  }
}

/** One trace's spans (all with the same trace id) as a Jaeger JSON trace, spans in start order. */
export function toJaegerTrace(spans: Span[]): JaegerTrace {
  const table = new ProcessTable();
  const ordered = [...spans].sort((a, b) =>
    a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0,
  );
  const out: JaegerSpan[] = ordered.map((span) => {
    const d = span.endTimeUnixNano - span.startTimeUnixNano;
    return {
      traceID: span.traceId,
      spanID: span.spanId,
      flags: span.flags & 0xff,
      operationName: span.name,
      references: references(span),
      startTime: nsToMicros(span.startTimeUnixNano),
      duration: d > 0n ? nsToMicros(d) : 0,
      tags: spanTags(span),
      logs: logs(span),
      processID: table.idOf(span.resource),
      warnings: null,
    };
  });
  return { traceID: spans[0]?.traceId ?? '', spans: out, processes: table.processes, warnings: null };
}

/** Spans of any number of traces -> one Jaeger trace each, in order of first appearance. */
export function toJaegerTraces(spans: Span[]): JaegerTrace[] {
  const groups = new Map<string, Span[]>();
  for (const s of spans) {
    const g = groups.get(s.traceId);
    if (g) g.push(s);
    else groups.set(s.traceId, [s]);
  }
  return [...groups.values()].map(toJaegerTrace);
}
