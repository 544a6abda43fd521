/** Hand-written encoder for OTLP ExportTraceServiceRequest/Response protobuf. */

import type { AnyValue, KeyValue, Resource, Scope, Span } from '../span.js';
import { ProtoReader } from '../protobuf/reader.js';
import { ProtoWriter } from '../protobuf/writer.js';
import { rethrowWithin } from '../protobuf/decode-error.js';

/** Nibble of a hex char code, or 0 for anything else (ids are validated upstream). */
const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[97 + i] = NIBBLE[65 + i] = 10 + i;

/**
 * Groups spans by Resource object, then Scope object (first-seen order), so spans that were
 * decoded together are encoded under one ResourceSpans/ScopeSpans again.
 */
export function groupSpans(spans: Span[]): Map<Resource, Map<Scope, Span[]>> {
  const groups = new Map<Resource, Map<Scope, Span[]>>();
  let lastRes: Resource | undefined;
  let lastScope: Scope | undefined;
  let lastList: Span[] = [];
  for (const span of spans) {
    if (span.resource === lastRes && span.scope === lastScope) {
      lastList.push(span);
      continue;
    }
    let scopes = groups.get(span.resource);
    if (!scopes) groups.set(span.resource, (scopes = new Map()));
    let list = scopes.get(span.scope);
    if (!list) scopes.set(span.scope, (list = []));
    list.push(span);
    lastRes = span.resource;
    lastScope = span.scope;
    lastList = list;
  }
  return groups;
}

/** Encodes spans as an ExportTraceServiceRequest. */
export function encodeOtlpProto(spans: Span[]): Uint8Array {
  const w = new ProtoWriter(256 + spans.length * 256);
  for (const [resource, scopes] of groupSpans(spans)) {
    const rs = w.begin(1);
    writeResource(w, resource);
    for (const [scope, list] of scopes) {
      const ss = w.begin(2);
      writeScope(w, scope);
      for (const span of list) writeSpan(w, span);
      if (scope.schemaUrl) w.string(3, scope.schemaUrl);
      w.end(ss);
    }
    if (resource.schemaUrl) w.string(3, resource.schemaUrl);
    w.end(rs);
  }
  return w.finish();
}

/** ResourceSpans.resource (field 1), written even when empty. */
function writeResource(w: ProtoWriter, resource: Resource): void {
  const res = w.begin(1);
  writeAttributes(w, 1, resource.attributes);
  if (resource.droppedAttributesCount) w.uint32(2, resource.droppedAttributesCount);
  w.end(res);
}

/** ScopeSpans.scope (field 1), written even when empty. */
function writeScope(w: ProtoWriter, scope: Scope): void {
  const sc = w.begin(1);
  if (scope.name) w.string(1, scope.name);
  if (scope.version) w.string(2, scope.version);
  writeAttributes(w, 3, scope.attributes);
  if (scope.droppedAttributesCount) w.uint32(4, scope.droppedAttributesCount);
  w.end(sc);
}

/**
 * Encodes spans one at a time, each as its own ExportTraceServiceRequest: the bytes of
 * `encodeOtlpProto([span])`, for stores that keep every span whole. A Resource or Scope object
 * is encoded once and its bytes copied into every span that shares it, and one buffer serves
 * every call: a call of `encodeOtlpProto([span])` for each span of a batch cost ~4x as much.
 * Like decoded spans, a Resource or Scope must not change once encoded.
 */
export class OtlpSpanEncoder {
  private readonly w = new ProtoWriter(4096);
  private readonly parts = new ProtoWriter(1024);
  private readonly resources = new WeakMap<Resource, Uint8Array>();
  private readonly scopes = new WeakMap<Scope, Uint8Array>();
  /** Where results are copied to: a new ArrayBuffer per span was a third of the cost. */
  private block = new Uint8Array(0);
  private used = 0;

  /** The span as a request: the caller's bytes (a view of a block no later call writes to). */
  encode(span: Span): Uint8Array {
    const w = this.w;
    w.reset();
    const rs = w.begin(1);
    w.raw(this.part(this.resources, span.resource, writeResource));
    const ss = w.begin(2);
    w.raw(this.part(this.scopes, span.scope, writeScope));
    writeSpan(w, span);
    if (span.scope.schemaUrl) w.string(3, span.scope.schemaUrl);
    w.end(ss);
    if (span.resource.schemaUrl) w.string(3, span.resource.schemaUrl);
    w.end(rs);
    return this.copyOut(w.finish());
  }

  private copyOut(bytes: Uint8Array): Uint8Array {
    if (this.used + bytes.length > this.block.length) {
      this.block = new Uint8Array(Math.max(64 * 1024, bytes.length));
      this.used = 0;
    }
    const out = this.block.subarray(this.used, this.used + bytes.length);
    out.set(bytes);
    this.used += bytes.length;
    return out;
  }

  private part<T extends object>(cache: WeakMap<T, Uint8Array>, key: T, write: (w: ProtoWriter, v: T) => void): Uint8Array {
    let bytes = cache.get(key);
    if (bytes === undefined) {
      this.parts.reset();
      write(this.parts, key);
      bytes = this.parts.finish().slice();
      cache.set(key, bytes);
    }
    return bytes;
  }
}

function writeSpan(w: ProtoWriter, s: Span): void {
  const m = w.begin(2);
  writeId(w, 1, s.traceId);
  writeId(w, 2, s.spanId);
  if (s.traceState) w.string(3, s.traceState);
  if (s.parentSpanId) writeId(w, 4, s.parentSpanId);
  if (s.name) w.string(5, s.name);
  if (s.kind) w.int32(6, s.kind);
  if (s.startTimeUnixNano) w.fixed64(7, s.startTimeUnixNano);
  if (s.endTimeUnixNano) w.fixed64(8, s.endTimeUnixNano);
  writeAttributes(w, 9, s.attributes);
  if (s.droppedAttributesCount) w.uint32(10, s.droppedAttributesCount);
  for (const ev of s.events) {
    const e = w.begin(11);
    if (ev.timeUnixNano) w.fixed64(1, ev.timeUnixNano);
    if (ev.name) w.string(2, ev.name);
    writeAttributes(w, 3, ev.attributes);
    if (ev.droppedAttributesCount) w.uint32(4, ev.droppedAttributesCount);
    w.end(e);
  }
  if (s.droppedEventsCount) w.uint32(12, s.droppedEventsCount);
  for (const link of s.links) {
    const l = w.begin(13);
    writeId(w, 1, link.traceId);
    writeId(w, 2, link.spanId);
    if (link.traceState) w.string(3, link.traceState);
    writeAttributes(w, 4, link.attributes);
    if (link.droppedAttributesCount) w.uint32(5, link.droppedAttributesCount);
    if (link.flags) w.fixed32(6, link.flags);
    w.end(l);
  }
  if (s.droppedLinksCount) w.uint32(14, s.droppedLinksCount);
  if (s.status.code || s.status.message) {
    const st = w.begin(15);
    if (s.status.message) w.string(2, s.status.message);
    if (s.status.code) w.int32(3, s.status.code);
    w.end(st);
  }
  if (s.flags) w.fixed32(16, s.flags);
  w.end(m);
}

/** Writes a hex id as a bytes field; an empty id is omitted. */
function writeId(w: ProtoWriter, field: number, hex: string): void {
  const n = hex.length >>> 1;
  if (n === 0) return;
  w.tag(field, 2);
  w.varint(n);
  w.ensure(n);
  const buf = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i++) {
    buf[p++] = (NIBBLE[hex.charCodeAt(2 * i) & 0x7f]! << 4) | NIBBLE[hex.charCodeAt(2 * i + 1) & 0x7f]!;
  }
  w.pos = p;
}

function writeAttributes(w: ProtoWriter, field: number, attrs: KeyValue[]): void {
  for (let i = 0; i < attrs.length; i++) writeKeyValue(w, field, attrs[i]!);
}

function writeKeyValue(w: ProtoWriter, field: number, kv: KeyValue): void {
  const m = w.begin(field);
  if (kv.key) w.string(1, kv.key);
  writeAnyValue(w, 2, kv.value);
  w.end(m);
}

/** Oneof members are written even when they hold a default, so '' and false survive (null does not write one). */
function writeAnyValue(w: ProtoWriter, field: number, v: AnyValue): void {
  const m = w.begin(field);
  switch (typeof v) {
    case 'string':
      w.string(1, v);
      break;
    case 'boolean':
      w.bool(2, v);
      break;
    case 'bigint':
      w.int64(3, v);
      break;
    case 'number':
      w.double(4, v);
      break;
    case 'object':
      if (v === null) break;
      if (v instanceof Uint8Array) w.bytes(7, v);
      else if (Array.isArray(v)) {
        const a = w.begin(5);
        for (const x of v) writeAnyValue(w, 1, x);
        w.end(a);
      } else {
        const l = w.begin(6);
        for (const kv of v.kvlist) writeKeyValue(w, 1, kv);
        w.end(l);
      }
      break;
  }
  w.end(m);
}

/** ExportTraceServiceResponse; partial_success is set only when something was rejected or said. */
export function encodeExportResponse(rejected: number, message: string): Uint8Array {
  const w = new ProtoWriter(32 + message.length * 3);
  if (rejected > 0 || message) {
    const m = w.begin(1);
    if (rejected > 0) w.int64(1, BigInt(rejected));
    if (message) w.string(2, message);
    w.end(m);
  }
  return w.finish();
}

/** Decodes an ExportTraceServiceResponse (what exporters get back). */
export function decodeExportResponse(buf: Uint8Array): { rejected: number; message: string } {
  const r = new ProtoReader(buf);
  let rejected = 0;
  let message = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag !== 10) {
      r.skip(tag & 7);
      continue;
    }
    try {
      const outer = r.enter();
      while (r.pos < r.end) {
        const t = r.tag();
        if (t === 8) rejected = Number(r.int64());
        else if (t === 18) message = r.string();
        else r.skip(t & 7);
      }
      r.leave(outer);
    } catch (e) {
      rethrowWithin(e, 'partialSuccess');
    }
  }
  return { rejected, message };
}
