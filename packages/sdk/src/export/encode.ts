/**
 * Direct OTLP protobuf encoding of SkeinSpans into an ExportTraceServiceRequest: no intermediate
 * canonical Span objects, which halves the export cost. Checked against the model's decoder.
 */

import { ProtoWriter } from '@skein/model';
import type { AnyValue, KeyValue, Resource, Scope } from '@skein/model';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { SkeinSpan } from '../span.js';
import { relMsToNs } from '../time.js';

const NIB = new Uint8Array(128);
for (let i = 0; i < 10; i++) NIB[48 + i] = i;
for (let i = 0; i < 6; i++) NIB[97 + i] = NIB[65 + i] = 10 + i;

function hexBytes(w: ProtoWriter, field: number, hex: string): void {
  const n = hex.length >>> 1;
  w.tag(field, 2);
  w.varint(n);
  w.ensure(n);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < hex.length; i += 2) b[p++] = (NIB[hex.charCodeAt(i)]! << 4) | NIB[hex.charCodeAt(i + 1)]!;
  w.pos = p;
}

function value(w: ProtoWriter, field: number, v: AttributeValue | AnyValue): void {
  const m = w.begin(field);
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) w.int64(3, BigInt(v));
    else w.double(4, v);
  } else if (typeof v === 'boolean') w.bool(2, v);
  else if (typeof v === 'bigint') w.int64(3, v);
  else if (v instanceof Uint8Array) w.bytes(7, v);
  else if (Array.isArray(v)) {
    const a = w.begin(5);
    for (const x of v) if (x != null) value(w, 1, x);
    w.end(a);
  } else if (v !== null && typeof v === 'object' && 'kvlist' in v) {
    const k = w.begin(6);
    for (const kv of v.kvlist) keyValue(w, 1, kv.key, kv.value);
    w.end(k);
  }
  w.end(m);
}

function keyValue(w: ProtoWriter, field: number, key: string, v: AttributeValue | AnyValue): void {
  const m = w.begin(field);
  w.string(1, key);
  value(w, 2, v);
  w.end(m);
}

function attrs(w: ProtoWriter, field: number, a: Attributes | undefined): void {
  if (a === undefined) return;
  for (const k in a) {
    const v = a[k];
    if (v != null) keyValue(w, field, k, v);
  }
}

function kvs(w: ProtoWriter, field: number, list: KeyValue[]): void {
  for (const kv of list) keyValue(w, field, kv.key, kv.value);
}

function span(w: ProtoWriter, s: SkeinSpan): void {
  const m = w.begin(2);
  const sc = s.spanContext();
  hexBytes(w, 1, sc.traceId);
  hexBytes(w, 2, sc.spanId);
  const ts = sc.traceState?.serialize();
  if (ts) w.string(3, ts);
  if (s.parentSpanId !== '') hexBytes(w, 4, s.parentSpanId);
  w.string(5, s.name);
  w.uint32(6, s.kind + 1);
  w.fixed64(7, relMsToNs(s.startMs));
  w.fixed64(8, relMsToNs(s.endMs));
  attrs(w, 9, s.attributes);
  if (s.droppedAttributes) w.uint32(10, s.droppedAttributes);
  if (s.events !== null) {
    for (const e of s.events) {
      const em = w.begin(11);
      w.fixed64(1, relMsToNs(e.timeMs));
      w.string(2, e.name);
      attrs(w, 3, e.attributes);
      if (e.droppedAttributes) w.uint32(4, e.droppedAttributes);
      w.end(em);
    }
  }
  if (s.droppedEvents) w.uint32(12, s.droppedEvents);
  if (s.links !== null) {
    for (const l of s.links) {
      const lm = w.begin(13);
      hexBytes(w, 1, l.context.traceId);
      hexBytes(w, 2, l.context.spanId);
      const lts = l.context.traceState?.serialize();
      if (lts) w.string(3, lts);
      attrs(w, 4, l.attributes);
      if (l.context.traceFlags) w.fixed32(6, l.context.traceFlags & 0xff);
      w.end(lm);
    }
  }
  if (s.droppedLinks) w.uint32(14, s.droppedLinks);
  if (s.statusCode !== 0 || s.statusMessage !== '') {
    const st = w.begin(15);
    if (s.statusMessage !== '') w.string(2, s.statusMessage);
    if (s.statusCode !== 0) w.uint32(3, s.statusCode);
    w.end(st);
  }
  w.fixed32(16, sc.traceFlags & 0xff);
  w.end(m);
}

function scopeHeader(w: ProtoWriter, scope: Scope): void {
  const m = w.begin(1);
  if (scope.name) w.string(1, scope.name);
  if (scope.version) w.string(2, scope.version);
  kvs(w, 3, scope.attributes);
  w.end(m);
}

const writer = new ProtoWriter(64 * 1024);

/** One ExportTraceServiceRequest for `spans` (one resource; spans grouped by scope). */
export function encodeSpans(spans: SkeinSpan[], resource: Resource): Uint8Array {
  const byScope = new Map<Scope, SkeinSpan[]>();
  for (const s of spans) {
    const sc = s.owner.scope;
    const list = byScope.get(sc);
    if (list === undefined) byScope.set(sc, [s]);
    else list.push(s);
  }
  const w = writer;
  w.reset();
  const rs = w.begin(1);
  const r = w.begin(1);
  kvs(w, 1, resource.attributes);
  w.end(r);
  for (const [scope, list] of byScope) {
    const ss = w.begin(2);
    scopeHeader(w, scope);
    for (let i = 0; i < list.length; i++) span(w, list[i]!);
    if (scope.schemaUrl) w.string(3, scope.schemaUrl);
    w.end(ss);
  }
  w.end(rs);
  // A copy: the shared writer is reused by the next batch while this one may still be in flight.
  return w.finish().slice();
}
