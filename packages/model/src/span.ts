/** The canonical span model: every receiver decodes into it, every store and exporter reads it. */

/**
 * An attribute value that keeps its OTLP type: string, bool, int64 (bigint), double (number),
 * bytes, array, key-value list, or empty (null).
 */
export type AnyValue = string | boolean | number | bigint | Uint8Array | AnyValue[] | KvList | null;

/** A nested key-value list; wrapped so it cannot be confused with an array value. */
export interface KvList {
  readonly kvlist: KeyValue[];
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** schema_url of the ResourceSpans that carried it. */
  schemaUrl: string;
}

export interface Scope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** schema_url of the ScopeSpans that carried it. */
  schemaUrl: string;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

export interface Status {
  code: StatusCode;
  message: string;
}

/**
 * One span. Ids are lowercase hex (32 digits for trace ids, 16 for span ids; parentSpanId is ''
 * for a root). Times are exact nanoseconds since the epoch. Spans of one batch share their
 * Resource and Scope objects by reference, which encoders use to regroup them.
 */
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: Status;
  resource: Resource;
  scope: Scope;
}

export const emptyResource = (): Resource => ({ attributes: [], droppedAttributesCount: 0, schemaUrl: '' });
export const emptyScope = (): Scope => ({ name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' });

/** The service.name of a resource, or the OpenTelemetry default for a missing one. */
export function serviceName(resource: Resource): string {
  for (const kv of resource.attributes) {
    if (kv.key === 'service.name' && typeof kv.value === 'string') return kv.value;
  }
  return 'unknown_service';
}
