/** OTLP/JSON encoding (the spec's JSON mapping: hex ids, int64 as decimal strings, enums as ints). */

import type { AnyValue, KeyValue, Span } from '../span.js';
import { base64Encode } from './base64.js';
import { groupSpans } from './proto-encode.js';

export type OtlpJsonAnyValue =
  | Record<string, never>
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { bytesValue: string }
  | { arrayValue: { values: OtlpJsonAnyValue[] } }
  | { kvlistValue: { values: OtlpJsonKeyValue[] } };

export interface OtlpJsonKeyValue {
  key: string;
  value: OtlpJsonAnyValue;
}

export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
  events?: { timeUnixNano: string; name: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount?: number }[];
  droppedEventsCount?: number;
  links?: { traceId: string; spanId: string; traceState?: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount?: number; flags?: number }[];
  droppedLinksCount?: number;
  status: { code?: number; message?: string };
}

export interface OtlpJsonRequest {
  resourceSpans: {
    resource: { attributes: OtlpJsonKeyValue[]; droppedAttributesCount?: number };
    scopeSpans: {
      scope: { name: string; version?: string; attributes?: OtlpJsonKeyValue[]; droppedAttributesCount?: number };
      spans: OtlpJsonSpan[];
      schemaUrl?: string;
    }[];
    schemaUrl?: string;
  }[];
}

export function anyValueToJson(v: AnyValue): OtlpJsonAnyValue {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    case 'number':
      // -0 as a string: JSON.stringify would print it as 0 (proto3 JSON parsers take numeric strings)
      if (Object.is(v, -0)) return { doubleValue: '-0' };
      return { doubleValue: Number.isFinite(v) ? v : (String(v) as 'NaN' | 'Infinity' | '-Infinity') };
  }
  if (v === null) return {};
  if (v instanceof Uint8Array) return { bytesValue: base64Encode(v) };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValueToJson) } };
  return { kvlistValue: { values: v.kvlist.map(keyValueToJson) } };
}

export const keyValueToJson = (kv: KeyValue): OtlpJsonKeyValue => ({ key: kv.key, value: anyValueToJson(kv.value) });
const attrs = (list: KeyValue[]) => list.map(keyValueToJson);

/** Sets `obj[key] = v` only for non-default values, as proto3 JSON printers do. */
function opt<T extends object>(obj: T, key: string, v: string | number): T {
  if (v !== '' && v !== 0) (obj as Record<string, unknown>)[key] = v;
  return obj;
}

export function spanToJson(s: Span): OtlpJsonSpan {
  const out: OtlpJsonSpan = {
    traceId: s.traceId,
    spanId: s.spanId,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    attributes: attrs(s.attributes),
    status: opt(opt({}, 'code', s.status.code), 'message', s.status.message),
  };
  opt(out, 'parentSpanId', s.parentSpanId);
  opt(out, 'traceState', s.traceState);
  opt(out, 'flags', s.flags);
  opt(out, 'droppedAttributesCount', s.droppedAttributesCount);
  if (s.events.length) {
    out.events = s.events.map((e) =>
      opt({ timeUnixNano: e.timeUnixNano.toString(), name: e.name, attributes: attrs(e.attributes) }, 'droppedAttributesCount', e.droppedAttributesCount),
    );
  }
  opt(out, 'droppedEventsCount', s.droppedEventsCount);
  if (s.links.length) {
    out.links = s.links.map((l) => {
      const link = { traceId: l.traceId, spanId: l.spanId, attributes: attrs(l.attributes) };
      return opt(opt(opt(link, 'traceState', l.traceState), 'droppedAttributesCount', l.droppedAttributesCount), 'flags', l.flags);
    });
  }
  opt(out, 'droppedLinksCount', s.droppedLinksCount);
  return out;
}

/** Spans as an OTLP/JSON ExportTraceServiceRequest object (pass it to JSON.stringify). */
export function encodeOtlpJson(spans: Span[]): OtlpJsonRequest {
  const resourceSpans: OtlpJsonRequest['resourceSpans'] = [];
  for (const [resource, scopes] of groupSpans(spans)) {
    const scopeSpans: OtlpJsonRequest['resourceSpans'][number]['scopeSpans'] = [];
    for (const [scope, list] of scopes) {
      const sc = opt(opt({ name: scope.name, attributes: attrs(scope.attributes) }, 'version', scope.version), 'droppedAttributesCount', scope.droppedAttributesCount);
      scopeSpans.push(opt({ scope: sc, spans: list.map(spanToJson) }, 'schemaUrl', scope.schemaUrl));
    }
    const res = opt({ attributes: attrs(resource.attributes) }, 'droppedAttributesCount', resource.droppedAttributesCount);
    resourceSpans.push(opt({ resource: res, scopeSpans }, 'schemaUrl', resource.schemaUrl));
  }
  return { resourceSpans };
}

/** ExportTraceServiceResponse as OTLP/JSON; partialSuccess only when something was rejected or said. */
export function encodeExportResponseJson(rejected: number, message: string): { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } } {
  if (rejected <= 0 && !message) return {};
  const partialSuccess: { rejectedSpans?: string; errorMessage?: string } = {};
  if (rejected > 0) partialSuccess.rejectedSpans = String(rejected);
  if (message) partialSuccess.errorMessage = message;
  return { partialSuccess };
}
