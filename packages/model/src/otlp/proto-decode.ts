/** Hand-written decoder for OTLP ExportTraceServiceRequest protobuf: the ingest hot path. */

import type { KeyValue, Resource, Scope, Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../span.js';
import { ProtoReader } from '../protobuf/reader.js';
import { rethrowWithin } from '../protobuf/decode-error.js';
import { readKeyValueInto, spanIdHex, traceIdHex } from './proto-values.js';
import { readEventInto, readLinkInto } from './proto-events.js';
import { Rejections, type OtlpDecoded } from './types.js';

/**
 * Decodes an ExportTraceServiceRequest. Spans of one ResourceSpans share one Resource object,
 * of one ScopeSpans one Scope object. Spans with a bad trace id (not 16 bytes, or all zero),
 * span id (not 8 bytes, or zero) or parent span id (neither empty, zero nor 8 bytes) are
 * rejected and counted. Malformed protobuf throws DecodeError naming the field path and offset.
 */
export function decodeOtlpProto(buf: Uint8Array): OtlpDecoded {
  const r = new ProtoReader(buf);
  const spans: Span[] = [];
  const rej = new Rejections();
  let i = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      try {
        readResourceSpans(r, spans, rej, i);
      } catch (e) {
        rethrowWithin(e, `resourceSpans[${i}]`);
      }
      i++;
    } else r.skip(tag & 7);
  }
  return { spans, rejected: rej.count, message: rej.message() };
}

function readResourceSpans(r: ProtoReader, out: Span[], rej: Rejections, ri: number): void {
  const outer = r.enter();
  const resource: Resource = { attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
  let si = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    // 1000: instrumentation_library_spans, the pre-1.0 name of scope_spans, with the same layout
    if (tag === 18 || tag === 8002) {
      try {
        readScopeSpans(r, out, resource, rej, ri, si);
      } catch (e) {
        rethrowWithin(e, `scopeSpans[${si}]`);
      }
      si++;
    } else if (tag === 10) {
      try {
        readResource(r, resource);
      } catch (e) {
        rethrowWithin(e, 'resource');
      }
    } else if (tag === 26) {
      try {
        resource.schemaUrl = r.string();
      } catch (e) {
        rethrowWithin(e, 'schemaUrl');
      }
    } else r.skip(tag & 7);
  }
  r.leave(outer);
}

/** Reads a Resource message into `res` (fields add up, as protobuf merges a repeated message). */
export function readResource(r: ProtoReader, res: Resource): void {
  const outer = r.enter();
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) readKeyValueInto(r, res.attributes, 'attributes', 0);
    else if (tag === 16) res.droppedAttributesCount = r.uint32();
    else r.skip(tag & 7);
  }
  r.leave(outer);
}

function readScopeSpans(r: ProtoReader, out: Span[], resource: Resource, rej: Rejections, ri: number, si: number): void {
  const outer = r.enter();
  const scope: Scope = { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
  let k = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 18) {
      let span: Span | null;
      try {
        span = readSpan(r, resource, scope);
      } catch (e) {
        rethrowWithin(e, `spans[${k}]`);
      }
      if (span !== null) out.push(span);
      else rej.add(`resourceSpans[${ri}].scopeSpans[${si}].spans[${k}]`, rejectReason);
      k++;
    } else if (tag === 10) {
      try {
        readScope(r, scope);
      } catch (e) {
        rethrowWithin(e, 'scope');
      }
    } else if (tag === 26) {
      try {
        scope.schemaUrl = r.string();
      } catch (e) {
        rethrowWithin(e, 'schemaUrl');
      }
    } else r.skip(tag & 7);
  }
  r.leave(outer);
}

/** Reads an InstrumentationScope message into `scope`. */
export function readScope(r: ProtoReader, scope: Scope): void {
  const outer = r.enter();
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) scope.name = r.string();
    else if (tag === 18) scope.version = r.string();
    else if (tag === 26) readKeyValueInto(r, scope.attributes, 'attributes', 0);
    else if (tag === 32) scope.droppedAttributesCount = r.uint32();
    else r.skip(tag & 7);
  }
  r.leave(outer);
}

/** Why the last readSpan returned null (module state, so the hot path allocates nothing). */
let rejectReason = '';

const SPAN_FIELDS = ['', 'traceId', 'spanId', 'traceState', 'parentSpanId', 'name', 'kind', 'startTimeUnixNano',
  'endTimeUnixNano', 'attributes', 'droppedAttributesCount', 'events', 'droppedEventsCount', 'links',
  'droppedLinksCount', 'status', 'flags'];

function readSpan(r: ProtoReader, resource: Resource, scope: Scope): Span | null {
  const outer = r.enter();
  const buf = r.buf;
  let traceId = '';
  let traceLen = 0;
  let spanId = '';
  let spanLen = 0;
  let parentSpanId = '';
  let parentLen = 0;
  let traceState = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  let code = 0;
  let message = '';
  let field = 0;
  try {
    while (r.pos < r.end) {
      const tag = r.tag();
      field = tag >>> 3;
      switch (tag) {
        case 10: {
          const p = r.lenStart();
          traceLen = r.pos - p;
          traceId = traceLen === 16 ? traceIdHex(buf, p) : '';
          break;
        }
        case 18: {
          const p = r.lenStart();
          spanLen = r.pos - p;
          spanId = spanLen === 8 ? spanIdHex(buf, p) : '';
          break;
        }
        case 26:
          traceState = r.string();
          break;
        case 34: {
          const p = r.lenStart();
          parentLen = r.pos - p;
          parentSpanId = parentLen === 8 ? spanIdHex(buf, p) : '';
          break;
        }
        case 42:
          name = r.string();
          break;
        case 48:
          kind = r.enum();
          break;
        case 57:
          start = r.fixed64();
          break;
        case 65:
          end = r.fixed64();
          break;
        case 74:
          field = -1; // readKeyValueInto names the element
          readKeyValueInto(r, attributes, 'attributes', 0);
          break;
        case 80:
          droppedAttributesCount = r.uint32();
          break;
        case 90:
          field = -1;
          readEventInto(r, events);
          break;
        case 96:
          droppedEventsCount = r.uint32();
          break;
        case 106:
          field = -1;
          readLinkInto(r, links);
          break;
        case 112:
          droppedLinksCount = r.uint32();
          break;
        case 122: {
          const o = r.enter();
          while (r.pos < r.end) {
            const t = r.tag();
            if (t === 18) message = r.string();
            else if (t === 24) code = r.enum();
            else r.skip(t & 7);
          }
          r.leave(o);
          break;
        }
        case 133:
          flags = r.fixed32();
          break;
        default:
          r.skip(tag & 7);
      }
    }
  } catch (e) {
    rethrowWithin(e, field > 0 && field < SPAN_FIELDS.length ? SPAN_FIELDS[field]! : '');
  }
  r.leave(outer);
  if (traceId === '') return reject(traceLen === 16 ? 'traceId is all zero' : `traceId must be 16 bytes, got ${traceLen}`);
  if (spanId === '') return reject(spanLen === 8 ? 'spanId is all zero' : `spanId must be 8 bytes, got ${spanLen}`);
  if (parentLen !== 0 && parentLen !== 8) return reject(`parentSpanId must be empty or 8 bytes, got ${parentLen}`);
  return {
    traceId, spanId, parentSpanId, traceState, flags, name, kind: kind as SpanKind,
    startTimeUnixNano: start, endTimeUnixNano: end, attributes, droppedAttributesCount,
    events, droppedEventsCount, links, droppedLinksCount,
    status: { code: code as StatusCode, message }, resource, scope,
  };
}

function reject(reason: string): null {
  rejectReason = reason;
  return null;
}
