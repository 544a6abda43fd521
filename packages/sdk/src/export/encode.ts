/**
 * Direct OTLP protobuf encoding of SkeinSpans: each span is written once, at end(), as a `Span`
 * field of its scope's ScopeSpans, into a reusable ProtoWriter (see batch.ts). No intermediate
 * canonical Span objects and no BigInt. Checked against the model's decoder.
 */

import { ProtoWriter } from '@skein/model';
import type { AnyValue, KeyValue, Resource, Scope } from '@skein/model';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { SkeinSpan } from '../span.js';
import { writeRelMsAsNs } from '../time.js';

const NIB = new Uint8Array(128);
for (let i = 0; i < 10; i++) NIB[48 + i] = i;
for (let i = 0; i < 6; i++) NIB[97 + i] = NIB[65 + i] = 10 + i;
const TWO32 = 0x100000000;

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

/** A fixed64 epoch-ns time field from a performance.now()-scale ms value. */
function time(w: ProtoWriter, field: number, ms: number): void {
  w.tag(field, 1);
  w.ensure(8);
  writeRelMsAsNs(w.buf, w.pos, ms);
  w.pos += 8;
}

/** int64 field from a safe integer, without a BigInt: negatives are 10-byte two's complement. */
function int64(w: ProtoWriter, field: number, v: number): void {
  w.tag(field, 0);
  if (v >= 0) {
    w.varint(v);
    return;
  }
  const hiS = Math.floor(v / TWO32);
  let lo = v - hiS * TWO32;
  let hi = hiS >>> 0;
  w.ensure(10);
  const buf = w.buf;
  let pos = w.pos;
  while (hi > 0 || lo > 0x7f) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  w.pos = pos;
}

function value(w: ProtoWriter, field: number, v: AttributeValue | AnyValue): void {
  const m = w.begin(field);
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) int64(w, 3, v);
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

/** Appends `s` as field 2 (`spans`) of a ScopeSpans message being written into `w`. */
export function encodeSpan(w: ProtoWriter, s: SkeinSpan): void {
  const m = w.begin(2);
  hexBytes(w, 1, s.traceId);
  hexBytes(w, 2, s.spanId);
  const ts = s.traceState?.serialize();
  if (ts) w.string(3, ts);
  if (s.parentSpanId !== '') hexBytes(w, 4, s.parentSpanId);
  w.string(5, s.name);
  w.uint32(6, s.kind + 1);
  time(w, 7, s.startMs);
  time(w, 8, s.endMs);
  attrs(w, 9, s.attributes);
  if (s.droppedAttributes) w.uint32(10, s.droppedAttributes);
  if (s.events !== null) {
    for (const e of s.events) {
      const em = w.begin(11);
      time(w, 1, e.timeMs);
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
  w.fixed32(16, s.traceFlags & 0xff);
  w.end(m);
}

const resourceCache = new WeakMap<Resource, Uint8Array>();
const scopeCache = new WeakMap<Scope, Uint8Array>();

/** The `resource` field (1) of ResourceSpans, encoded once per Resource. */
export function resourceField(resource: Resource): Uint8Array {
  let b = resourceCache.get(resource);
  if (b === undefined) {
    const w = new ProtoWriter(256);
    const r = w.begin(1);
    kvs(w, 1, resource.attributes);
    if (resource.droppedAttributesCount) w.uint32(2, resource.droppedAttributesCount);
    w.end(r);
    if (resource.schemaUrl) w.string(3, resource.schemaUrl);
    resourceCache.set(resource, (b = w.finish().slice()));
  }
  return b;
}

/** The `scope` (1) and `schema_url` (3) fields of ScopeSpans, encoded once per Scope. */
export function scopeFields(scope: Scope): Uint8Array {
  let b = scopeCache.get(scope);
  if (b === undefined) {
    const w = new ProtoWriter(128);
    const m = w.begin(1);
    if (scope.name) w.string(1, scope.name);
    if (scope.version) w.string(2, scope.version);
    kvs(w, 3, scope.attributes);
    if (scope.droppedAttributesCount) w.uint32(4, scope.droppedAttributesCount);
    w.end(m);
    if (scope.schemaUrl) w.string(3, scope.schemaUrl);
    scopeCache.set(scope, (b = w.finish().slice()));
  }
  return b;
}
