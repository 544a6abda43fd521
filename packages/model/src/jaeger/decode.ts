/** jaeger.thrift Batch (binary or compact protocol) -> canonical spans, per MAPPING.md beside this file. */
import { toU64 } from '../int64.js';
import { rethrowWithin } from '../protobuf/decode-error.js';
import type { AnyValue, KeyValue, Resource, Scope, Span, SpanEvent, SpanKind, SpanLink } from '../span.js';
import { emptyScope } from '../span.js';
import { BinaryReader, CompactReader, TType, type ThriftReader } from './thrift-reader.js';

export const KIND_BY_TAG: Record<string, SpanKind> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

/** A signed i64 id as unsigned hex of `digits` digits. */
export const idHex = (v: bigint): string => toU64(v).toString(16).padStart(16, '0');

function readTag(r: ThriftReader): KeyValue {
  let key = '';
  let vType = 0;
  let vStr = '';
  let vDouble = 0;
  let vBool = false;
  let vLong = 0n;
  let vBinary: Uint8Array = new Uint8Array(0);
  r.structBegin();
  while (r.field()) {
    switch (r.fieldId) {
      case 1: r.expect(TType.STRING, 'Tag.key'); key = r.string(); break;
      case 2: r.expect(TType.I32, 'Tag.vType'); vType = r.i32(); break;
      case 3: r.expect(TType.STRING, 'Tag.vStr'); vStr = r.string(); break;
      case 4: r.expect(TType.DOUBLE, 'Tag.vDouble'); vDouble = r.double(); break;
      case 5: r.expect(TType.BOOL, 'Tag.vBool'); vBool = r.bool(); break;
      case 6: r.expect(TType.I64, 'Tag.vLong'); vLong = r.i64(); break;
      case 7: r.expect(TType.STRING, 'Tag.vBinary'); vBinary = r.binary().slice(); break;
      default: r.skip(r.fieldType);
    }
  }
  r.structEnd();
  let value: AnyValue;
  switch (vType) {
    case 0: value = vStr; break;
    case 1: value = vDouble; break;
    case 2: value = vBool; break;
    case 3: value = vLong; break;
    case 4: value = vBinary; break;
    default: r.fail(`tag "${key}" has unknown vType ${vType}`);
  }
  return { key, value };
}

function readTags(r: ThriftReader, what: string): KeyValue[] {
  r.expect(TType.LIST, what);
  r.listBegin();
  const n = r.size;
  if (n > 0 && r.elemType !== TType.STRUCT) r.fail(`${what} must be a list of Tag structs`);
  const out: KeyValue[] = [];
  for (let i = 0; i < n; i++) {
    try {
      out.push(readTag(r));
    } catch (e) {
      rethrowWithin(e, `${what}[${i}]`);
    }
  }
  return out;
}

function readList<T>(r: ThriftReader, what: string, item: () => T): T[] {
  r.expect(TType.LIST, what);
  r.listBegin();
  const n = r.size;
  if (n > 0 && r.elemType !== TType.STRUCT) r.fail(`${what} must be a list of structs`);
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    try {
      out.push(item());
    } catch (e) {
      rethrowWithin(e, `${what}[${i}]`);
    }
  }
  return out;
}

function readLog(r: ThriftReader): SpanEvent {
  let ts = 0n;
  let fields: KeyValue[] = [];
  r.structBegin();
  while (r.field()) {
    if (r.fieldId === 1) {
      r.expect(TType.I64, 'timestamp');
      ts = r.i64();
    } else if (r.fieldId === 2) fields = readTags(r, 'fields');
    else r.skip(r.fieldType);
  }
  r.structEnd();
  let name = '';
  const attributes: KeyValue[] = [];
  for (const f of fields) {
    if (f.key === 'event' && typeof f.value === 'string' && name === '') name = f.value;
    else attributes.push(f);
  }
  return { timeUnixNano: ts * 1000n, name, attributes, droppedAttributesCount: 0 };
}

export interface Ref { type: number; traceId: string; spanId: string }

function readRef(r: ThriftReader): Ref {
  let type = 0;
  let lo = 0n;
  let hi = 0n;
  let span = 0n;
  r.structBegin();
  while (r.field()) {
    switch (r.fieldId) {
      case 1: r.expect(TType.I32, 'refType'); type = r.i32(); break;
      case 2: r.expect(TType.I64, 'traceIdLow'); lo = r.i64(); break;
      case 3: r.expect(TType.I64, 'traceIdHigh'); hi = r.i64(); break;
      case 4: r.expect(TType.I64, 'spanId'); span = r.i64(); break;
      default: r.skip(r.fieldType);
    }
  }
  r.structEnd();
  return { type, traceId: idHex(hi) + idHex(lo), spanId: idHex(span) };
}

function readSpan(r: ThriftReader, resource: Resource, scopes: Map<string, Scope>): Span {
  let lo = 0n, hi = 0n, id = 0n, parent = 0n, flags = 0, start = 0n, duration = 0n, name = '';
  let tags: KeyValue[] = [];
  let events: SpanEvent[] = [];
  let refs: Ref[] = [];
  r.structBegin();
  while (r.field()) {
    switch (r.fieldId) {
      case 1: r.expect(TType.I64, 'traceIdLow'); lo = r.i64(); break;
      case 2: r.expect(TType.I64, 'traceIdHigh'); hi = r.i64(); break;
      case 3: r.expect(TType.I64, 'spanId'); id = r.i64(); break;
      case 4: r.expect(TType.I64, 'parentSpanId'); parent = r.i64(); break;
      case 5: r.expect(TType.STRING, 'operationName'); name = r.string(); break;
      case 6: refs = readList(r, 'references', () => readRef(r)); break;
      case 7: r.expect(TType.I32, 'flags'); flags = r.i32(); break;
      case 8: r.expect(TType.I64, 'startTime'); start = r.i64(); break;
      case 9: r.expect(TType.I64, 'duration'); duration = r.i64(); break;
      case 10: tags = readTags(r, 'tags'); break;
      case 11: events = readList(r, 'logs', () => readLog(r)); break;
      default: r.skip(r.fieldType);
    }
  }
  r.structEnd();
  if (lo === 0n && hi === 0n) r.fail('traceId is zero');
  if (id === 0n) r.fail('spanId is zero');
  return toSpan({ traceId: idHex(hi) + idHex(lo), spanId: idHex(id), parentSpanId: parent === 0n ? '' : idHex(parent), name, flags, start, duration, tags, events, refs }, resource, scopes);
}

export interface RawJaegerSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  flags: number;
  /** µs */
  start: bigint;
  duration: bigint;
  tags: KeyValue[];
  events: SpanEvent[];
  refs: Ref[];
}

/** Applies the tag and reference rules shared by the thrift and JSON decoders. */
export function toSpan(j: RawJaegerSpan, resource: Resource, scopes: Map<string, Scope>): Span {
  let kind: SpanKind = 1;
  let code: 0 | 1 | 2 = 0;
  let message = '';
  let traceState = '';
  let scopeName = '';
  let scopeVersion = '';
  const attributes: KeyValue[] = [];
  for (const t of j.tags) {
    const v = t.value;
    switch (t.key) {
      case 'span.kind':
        kind = (typeof v === 'string' && KIND_BY_TAG[v]) || kind;
        break;
      case 'error':
        if (v === true || v === 'true') code = 2;
        else attributes.push(t);
        break;
      case 'otel.status_code':
        if (v === 'ERROR') code = 2;
        else if (v === 'OK' && code === 0) code = 1;
        break;
      case 'otel.status_description':
        message = String(v);
        break;
      case 'w3c.tracestate':
        traceState = String(v);
        break;
      case 'otel.scope.name':
      case 'otel.library.name':
        scopeName = String(v);
        break;
      case 'otel.scope.version':
      case 'otel.library.version':
        scopeVersion = String(v);
        break;
      default:
        attributes.push(t);
    }
  }
  let parentSpanId = j.parentSpanId;
  const links: SpanLink[] = [];
  for (const ref of j.refs) {
    if (!parentSpanId && ref.type === 0 && ref.traceId === j.traceId) {
      parentSpanId = ref.spanId;
      continue;
    }
    if (ref.type === 0 && ref.spanId === parentSpanId && ref.traceId === j.traceId) continue;
    links.push({
      traceId: ref.traceId, spanId: ref.spanId, traceState: '', flags: 0, droppedAttributesCount: 0,
      attributes: [{ key: 'opentracing.ref_type', value: ref.type === 1 ? 'follows_from' : 'child_of' }],
    });
  }
  const startNs = j.start * 1000n;
  return {
    traceId: j.traceId,
    spanId: j.spanId,
    parentSpanId,
    traceState,
    flags: j.flags & 0xff,
    name: j.name,
    kind,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + j.duration * 1000n,
    attributes,
    droppedAttributesCount: 0,
    events: j.events,
    droppedEventsCount: 0,
    links,
    droppedLinksCount: 0,
    status: { code, message: code === 2 ? message : '' },
    resource,
    scope: scopeOf(scopes, scopeName, scopeVersion),
  };
}

/** Spans of one batch with the same scope share one Scope object. */
function scopeOf(scopes: Map<string, Scope>, name: string, version: string): Scope {
  const key = name + '\0' + version;
  let s = scopes.get(key);
  if (!s) scopes.set(key, (s = { ...emptyScope(), name, version }));
  return s;
}

function readProcess(r: ThriftReader): Resource {
  let service = '';
  let tags: KeyValue[] = [];
  r.structBegin();
  while (r.field()) {
    if (r.fieldId === 1) {
      r.expect(TType.STRING, 'serviceName');
      service = r.string();
    } else if (r.fieldId === 2) tags = readTags(r, 'tags');
    else r.skip(r.fieldType);
  }
  r.structEnd();
  return { attributes: [{ key: 'service.name', value: service }, ...tags.filter((t) => t.key !== 'service.name')], droppedAttributesCount: 0, schemaUrl: '' };
}

function readBatch(r: ThriftReader): Span[] {
  const resource: Resource = { attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
  let spans: Span[] = [];
  const scopes = new Map<string, Scope>();
  let sawProcess = false;
  r.structBegin();
  while (r.field()) {
    if (r.fieldId === 1) {
      r.expect(TType.STRUCT, 'process');
      try {
        // Spans may come before the process: they all share this one object, filled in place.
        resource.attributes = readProcess(r).attributes;
      } catch (e) {
        rethrowWithin(e, 'process');
      }
      sawProcess = true;
    } else if (r.fieldId === 2) spans = readList(r, 'spans', () => readSpan(r, resource, scopes));
    else r.skip(r.fieldType);
  }
  r.structEnd();
  if (!sawProcess) r.fail('Batch has no process');
  return spans;
}

/** Decodes a bare Batch struct, as POST /api/traces carries it (binary protocol). */
export function decodeJaegerBatch(buf: Uint8Array, protocol: 'binary' | 'compact' = 'binary'): Span[] {
  const r: ThriftReader = protocol === 'binary' ? new BinaryReader(buf) : new CompactReader(buf);
  try {
    return readBatch(r);
  } catch (e) {
    return rethrowWithin(e, 'batch');
  }
}

/** Decodes an Agent.emitBatch message, as jaeger clients send it over UDP (6831 compact, 6832 binary). */
export function decodeJaegerEmitBatch(buf: Uint8Array, protocol: 'binary' | 'compact'): Span[] {
  const r: ThriftReader = protocol === 'binary' ? new BinaryReader(buf) : new CompactReader(buf);
  const name = r.messageBegin();
  if (name !== 'emitBatch') r.fail(`unexpected thrift method "${name}" (only emitBatch is served)`);
  let spans: Span[] | undefined;
  r.structBegin();
  while (r.field()) {
    if (r.fieldId === 1 && r.fieldType === TType.STRUCT) {
      try {
        spans = readBatch(r);
      } catch (e) {
        rethrowWithin(e, 'batch');
      }
    } else r.skip(r.fieldType);
  }
  r.structEnd();
  if (!spans) r.fail('emitBatch carries no batch');
  return spans;
}
