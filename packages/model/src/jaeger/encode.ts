/** Canonical spans -> jaeger.thrift Batches (one per resource), per MAPPING.md beside this file. */
import { toI64 } from '../int64.js';
import type { AnyValue, KeyValue, Resource, Span } from '../span.js';
import { serviceName } from '../span.js';
import { valueToText } from '../zipkin/value-text.js';
import { TType } from './thrift-reader.js';
import { BinaryWriter, CompactWriter, type ThriftWriter } from './thrift-writer.js';

const KIND_TAG = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

/** Hex id (16 digits) as the signed i64 thrift carries. */
const i64 = (hex: string): bigint => (hex ? toI64(BigInt('0x' + hex)) : 0n);

function writeTag(w: ThriftWriter, key: string, v: AnyValue): void {
  w.structBegin();
  w.stringField(1, key);
  if (typeof v === 'number') {
    w.i32Field(2, 1);
    w.fieldBegin(TType.DOUBLE, 4);
    w.double(v);
  } else if (typeof v === 'boolean') {
    w.i32Field(2, 2);
    w.boolField(5, v);
  } else if (typeof v === 'bigint') {
    w.i32Field(2, 3);
    w.i64Field(6, v);
  } else if (v instanceof Uint8Array) {
    w.i32Field(2, 4);
    w.fieldBegin(TType.STRING, 7);
    w.binary(v);
  } else {
    // Arrays and kvlists have no thrift type: they travel as JSON text.
    w.i32Field(2, 0);
    w.stringField(3, valueToText(v));
  }
  w.stop();
  w.structEnd();
}

function writeTags(w: ThriftWriter, id: number, tags: KeyValue[]): void {
  w.fieldBegin(TType.LIST, id);
  w.listBegin(TType.STRUCT, tags.length);
  for (const t of tags) writeTag(w, t.key, t.value);
}

function spanTags(s: Span): KeyValue[] {
  const tags = [...s.attributes];
  if (s.kind >= 1 && s.kind <= 5) tags.push({ key: 'span.kind', value: KIND_TAG[s.kind]! });
  if (s.status.code === 2) {
    tags.push({ key: 'error', value: true }, { key: 'otel.status_code', value: 'ERROR' });
    if (s.status.message) tags.push({ key: 'otel.status_description', value: s.status.message });
  } else if (s.status.code === 1) tags.push({ key: 'otel.status_code', value: 'OK' });
  if (s.scope.name) tags.push({ key: 'otel.scope.name', value: s.scope.name });
  if (s.scope.version) tags.push({ key: 'otel.scope.version', value: s.scope.version });
  if (s.traceState) tags.push({ key: 'w3c.tracestate', value: s.traceState });
  return tags;
}

function writeSpan(w: ThriftWriter, s: Span): void {
  w.structBegin();
  w.i64Field(1, i64(s.traceId.slice(16)));
  w.i64Field(2, i64(s.traceId.slice(0, 16)));
  w.i64Field(3, i64(s.spanId));
  w.i64Field(4, i64(s.parentSpanId));
  w.stringField(5, s.name);
  const refs = s.links.map((l) => ({
    type: l.attributes.some((a) => a.key === 'opentracing.ref_type' && a.value === 'child_of') ? 0 : 1,
    traceId: l.traceId,
    spanId: l.spanId,
  }));
  if (s.parentSpanId) refs.unshift({ type: 0, traceId: s.traceId, spanId: s.parentSpanId });
  if (refs.length > 0) {
    w.fieldBegin(TType.LIST, 6);
    w.listBegin(TType.STRUCT, refs.length);
    for (const ref of refs) {
      w.structBegin();
      w.i32Field(1, ref.type);
      w.i64Field(2, i64(ref.traceId.slice(16)));
      w.i64Field(3, i64(ref.traceId.slice(0, 16)));
      w.i64Field(4, i64(ref.spanId));
      w.stop();
      w.structEnd();
    }
  }
  w.i32Field(7, s.flags & 0xff);
  w.i64Field(8, s.startTimeUnixNano / 1000n);
  w.i64Field(9, (s.endTimeUnixNano - s.startTimeUnixNano) / 1000n);
  writeTags(w, 10, spanTags(s));
  if (s.events.length > 0) {
    w.fieldBegin(TType.LIST, 11);
    w.listBegin(TType.STRUCT, s.events.length);
    for (const e of s.events) {
      w.structBegin();
      w.i64Field(1, e.timeUnixNano / 1000n);
      writeTags(w, 2, e.name ? [{ key: 'event', value: e.name }, ...e.attributes] : e.attributes);
      w.stop();
      w.structEnd();
    }
  }
  w.stop();
  w.structEnd();
}

function writeBatch(w: ThriftWriter, resource: Resource, spans: Span[]): void {
  w.structBegin();
  w.fieldBegin(TType.STRUCT, 1);
  w.structBegin();
  w.stringField(1, serviceName(resource));
  writeTags(w, 2, resource.attributes.filter((a) => a.key !== 'service.name'));
  w.stop();
  w.structEnd();
  w.fieldBegin(TType.LIST, 2);
  w.listBegin(TType.STRUCT, spans.length);
  for (const s of spans) writeSpan(w, s);
  w.stop();
  w.structEnd();
}

/** Groups spans by their Resource object (a Jaeger Batch has one Process). */
export function groupByResource(spans: Span[]): [Resource, Span[]][] {
  const groups = new Map<Resource, Span[]>();
  for (const s of spans) {
    const g = groups.get(s.resource);
    if (g) g.push(s);
    else groups.set(s.resource, [s]);
  }
  return [...groups];
}

const writer = (p: 'binary' | 'compact'): ThriftWriter => (p === 'binary' ? new BinaryWriter() : new CompactWriter());

/** One bare Batch per resource, for POST /api/traces (binary) or tests (compact). */
export function encodeJaegerBatches(spans: Span[], protocol: 'binary' | 'compact' = 'binary'): Uint8Array[] {
  return groupByResource(spans).map(([resource, group]) => {
    const w = writer(protocol);
    writeBatch(w, resource, group);
    return w.finish();
  });
}

/** One Agent.emitBatch oneway message per resource, as UDP clients send them. */
export function encodeJaegerEmitBatches(spans: Span[], protocol: 'binary' | 'compact'): Uint8Array[] {
  return groupByResource(spans).map(([resource, group], seq) => {
    const w = writer(protocol);
    w.messageBegin('emitBatch', 4, seq);
    w.structBegin();
    w.fieldBegin(TType.STRUCT, 1);
    writeBatch(w, resource, group);
    w.stop();
    w.structEnd();
    return w.finish();
  });
}
