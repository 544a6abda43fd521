/** OTLP/JSON decoding per the spec's JSON mapping, with errors that name the JSON path. */

import type { AnyValue, KeyValue, Resource, Scope, Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../span.js';
import { DecodeError } from '../protobuf/decode-error.js';
import { base64Decode } from './base64.js';
import { arr, describe, double, enumValue, field, hexId, int64, obj, str, u32, type Json } from './json-fields.js';
import { Rejections, type OtlpDecoded } from './types.js';

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
};
const STATUS_NAMES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };
const MAX_DEPTH = 32;

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest given as text, UTF-8 bytes or an already parsed
 * value. From text, integers of 16+ digits are read exactly (JSON.parse would round them to a
 * double). Spans with empty or zero ids are rejected and counted; malformed input throws
 * DecodeError naming the path, e.g. `resourceSpans[0].scopeSpans[1].spans[3].traceId`.
 */
export function decodeOtlpJson(input: string | Uint8Array | unknown): OtlpDecoded {
  let root = input;
  if (input instanceof Uint8Array) root = new TextDecoder().decode(input);
  if (typeof root === 'string') {
    try {
      root = JSON.parse(quoteLongIntegers(root));
    } catch (e) {
      throw new DecodeError(`invalid JSON: ${(e as Error).message}`);
    }
  }
  const req = obj(root, '(request)');
  if (!req) throw new DecodeError('expected an ExportTraceServiceRequest object, got null');
  const spans: Span[] = [];
  const rej = new Rejections();
  arr(req, 'resourceSpans', '').forEach((rsv, i) => {
    const p = `resourceSpans[${i}]`;
    const rs = obj(rsv, p) ?? {};
    const r = obj(field(rs, 'resource'), `${p}.resource`) ?? {};
    const resource: Resource = {
      attributes: keyValues(r, 'attributes', `${p}.resource`, 0),
      droppedAttributesCount: u32(r, 'droppedAttributesCount', `${p}.resource`),
      schemaUrl: str(rs, 'schemaUrl', p),
    };
    // instrumentationLibrarySpans: the pre-1.0 name of scopeSpans, same layout
    const legacy = field(rs, 'scopeSpans') === undefined && field(rs, 'instrumentationLibrarySpans') !== undefined;
    const ssKey = legacy ? 'instrumentationLibrarySpans' : 'scopeSpans';
    arr(rs, ssKey, p).forEach((ssv, j) => {
      const sp = `${p}.${ssKey}[${j}]`;
      const ss = obj(ssv, sp) ?? {};
      const sc = obj(field(ss, legacy ? 'instrumentationLibrary' : 'scope'), `${sp}.scope`) ?? {};
      const scope: Scope = {
        name: str(sc, 'name', `${sp}.scope`),
        version: str(sc, 'version', `${sp}.scope`),
        attributes: keyValues(sc, 'attributes', `${sp}.scope`, 0),
        droppedAttributesCount: u32(sc, 'droppedAttributesCount', `${sp}.scope`),
        schemaUrl: str(ss, 'schemaUrl', sp),
      };
      arr(ss, 'spans', sp).forEach((sv, k) => {
        const path = `${sp}.spans[${k}]`;
        const span = readSpan(obj(sv, path) ?? {}, path, resource, scope);
        if (typeof span === 'string') rej.add(path, span);
        else spans.push(span);
      });
    });
  });
  return { spans, rejected: rej.count, message: rej.message() };
}

/** Returns the span, or the reason it is rejected. */
function readSpan(s: Json, p: string, resource: Resource, scope: Scope): Span | string {
  const traceId = hexId(s, 'traceId', 16, p);
  const spanId = hexId(s, 'spanId', 8, p);
  const st = obj(field(s, 'status'), `${p}.status`) ?? {};
  const span: Span = {
    traceId,
    spanId,
    parentSpanId: hexId(s, 'parentSpanId', 8, p),
    traceState: str(s, 'traceState', p),
    flags: u32(s, 'flags', p),
    name: str(s, 'name', p),
    kind: enumValue(s, 'kind', KIND_NAMES, p) as SpanKind,
    startTimeUnixNano: int64(field(s, 'startTimeUnixNano'), `${p}.startTimeUnixNano`, false),
    endTimeUnixNano: int64(field(s, 'endTimeUnixNano'), `${p}.endTimeUnixNano`, false),
    attributes: keyValues(s, 'attributes', p, 0),
    droppedAttributesCount: u32(s, 'droppedAttributesCount', p),
    events: arr(s, 'events', p).map((v, i) => readEvent(obj(v, `${p}.events[${i}]`) ?? {}, `${p}.events[${i}]`)),
    droppedEventsCount: u32(s, 'droppedEventsCount', p),
    links: arr(s, 'links', p).map((v, i) => readLink(obj(v, `${p}.links[${i}]`) ?? {}, `${p}.links[${i}]`)),
    droppedLinksCount: u32(s, 'droppedLinksCount', p),
    status: { code: enumValue(st, 'code', STATUS_NAMES, `${p}.status`) as StatusCode, message: str(st, 'message', `${p}.status`) },
    resource,
    scope,
  };
  if (traceId === '') return 'traceId is empty or all zero';
  if (spanId === '') return 'spanId is empty or all zero';
  return span;
}

function readEvent(e: Json, p: string): SpanEvent {
  return {
    timeUnixNano: int64(field(e, 'timeUnixNano'), `${p}.timeUnixNano`, false),
    name: str(e, 'name', p),
    attributes: keyValues(e, 'attributes', p, 0),
    droppedAttributesCount: u32(e, 'droppedAttributesCount', p),
  };
}

function readLink(l: Json, p: string): SpanLink {
  return {
    traceId: hexId(l, 'traceId', 16, p) || '0'.repeat(32),
    spanId: hexId(l, 'spanId', 8, p) || '0'.repeat(16),
    traceState: str(l, 'traceState', p),
    attributes: keyValues(l, 'attributes', p, 0),
    droppedAttributesCount: u32(l, 'droppedAttributesCount', p),
    flags: u32(l, 'flags', p),
  };
}

function keyValues(o: Json, key: string, p: string, depth: number): KeyValue[] {
  return arr(o, key, p).map((v, i) => keyValue(v, `${p}.${key}[${i}]`, depth));
}

function keyValue(v: unknown, p: string, depth: number): KeyValue {
  const kv = obj(v, p) ?? {};
  return { key: str(kv, 'key', p), value: anyValue(field(kv, 'value'), `${p}.value`, depth + 1) };
}

function anyValue(v: unknown, p: string, depth: number): AnyValue {
  if (depth > MAX_DEPTH) throw new DecodeError(`attribute values nested deeper than ${MAX_DEPTH}`, -1, p);
  const o = obj(v, p);
  if (!o) return null;
  let x: unknown;
  if ((x = field(o, 'stringValue')) !== undefined) {
    if (typeof x !== 'string') throw new DecodeError(`expected a string, got ${describe(x)}`, -1, `${p}.stringValue`);
    return x;
  }
  if ((x = field(o, 'boolValue')) !== undefined) {
    if (typeof x !== 'boolean') throw new DecodeError(`expected true or false, got ${describe(x)}`, -1, `${p}.boolValue`);
    return x;
  }
  if ((x = field(o, 'intValue')) !== undefined) return int64(x, `${p}.intValue`, true);
  if ((x = field(o, 'doubleValue')) !== undefined) return double(x, `${p}.doubleValue`);
  if ((x = field(o, 'bytesValue')) !== undefined) {
    const b = typeof x === 'string' ? base64Decode(x) : undefined;
    if (!b) throw new DecodeError(`expected base64, got ${describe(x)}`, -1, `${p}.bytesValue`);
    return b;
  }
  if ((x = field(o, 'arrayValue')) !== undefined) {
    const a = obj(x, `${p}.arrayValue`) ?? {};
    return arr(a, 'values', `${p}.arrayValue`).map((e, i) => anyValue(e, `${p}.arrayValue.values[${i}]`, depth + 1));
  }
  if ((x = field(o, 'kvlistValue')) !== undefined) {
    const l = obj(x, `${p}.kvlistValue`) ?? {};
    return { kvlist: keyValues(l, 'values', `${p}.kvlistValue`, depth + 1) };
  }
  return null;
}

/**
 * Wraps integer literals of 16+ digits (outside strings) in quotes so JSON.parse keeps them
 * exact; every int64 reader accepts decimal strings.
 */
export function quoteLongIntegers(text: string): string {
  // cheap pre-check: a long integer literal follows ':' ',' or '[' (inside a string it may too; the scan sorts that out)
  if (!/[:,[]\s*-?\d{16}/.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const digitsFrom = c === 45 ? i + 1 : i;
      let j = digitsFrom;
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const next = text.charCodeAt(j);
      if (next === 46 || next === 101 || next === 69) {
        // a fraction or exponent: skip the rest of this number token, it stays a double
        while (j < text.length && /[0-9eE+.-]/.test(text[j]!)) j++;
      } else if (j - digitsFrom >= 16) {
        out += text.slice(last, i) + '"' + text.slice(i, j) + '"';
        last = j;
      }
      i = j - 1;
    }
  }
  return out + text.slice(last);
}
