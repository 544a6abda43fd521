/** Converts between the canonical model and protobufjs message objects, to check the hand codec against it. */

import type { AnyValue, KeyValue, Resource, Scope, Span } from '../../span.js';
import { bytesToHex, hexToBytes } from '../../ids.js';
import { groupSpans } from '../proto-encode.js';
import { otlpTypes } from './otlp-schema.js';

type Obj = Record<string, unknown>;

function anyToRef(v: AnyValue): Obj {
  if (v === null) return {};
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    case 'number':
      return { doubleValue: v };
  }
  if (v instanceof Uint8Array) return { bytesValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyToRef) } };
  return { kvlistValue: { values: v.kvlist.map(kvToRef) } };
}

const kvToRef = (kv: KeyValue): Obj => ({ key: kv.key, value: anyToRef(kv.value) });

/** Spans as a protobufjs ExportTraceServiceRequest (encoded by protobufjs, not by us). */
export function encodeWithReference(spans: Span[]): Uint8Array {
  const { Request } = otlpTypes();
  const resourceSpans = [...groupSpans(spans)].map(([res, scopes]) => ({
    resource: { attributes: res.attributes.map(kvToRef), droppedAttributesCount: res.droppedAttributesCount },
    schemaUrl: res.schemaUrl,
    scopeSpans: [...scopes].map(([scope, list]) => ({
      scope: { name: scope.name, version: scope.version, attributes: scope.attributes.map(kvToRef), droppedAttributesCount: scope.droppedAttributesCount },
      schemaUrl: scope.schemaUrl,
      spans: list.map((s) => ({
        traceId: hexToBytes(s.traceId),
        spanId: hexToBytes(s.spanId),
        traceState: s.traceState,
        parentSpanId: hexToBytes(s.parentSpanId),
        flags: s.flags,
        name: s.name,
        kind: s.kind,
        startTimeUnixNano: s.startTimeUnixNano.toString(),
        endTimeUnixNano: s.endTimeUnixNano.toString(),
        attributes: s.attributes.map(kvToRef),
        droppedAttributesCount: s.droppedAttributesCount,
        events: s.events.map((e) => ({ timeUnixNano: e.timeUnixNano.toString(), name: e.name, attributes: e.attributes.map(kvToRef), droppedAttributesCount: e.droppedAttributesCount })),
        droppedEventsCount: s.droppedEventsCount,
        links: s.links.map((l) => ({ traceId: hexToBytes(l.traceId), spanId: hexToBytes(l.spanId), traceState: l.traceState, attributes: l.attributes.map(kvToRef), droppedAttributesCount: l.droppedAttributesCount, flags: l.flags })),
        droppedLinksCount: s.droppedLinksCount,
        status: { code: s.status.code, message: s.status.message },
      })),
    })),
  }));
  return new Uint8Array(Request.encode(Request.fromObject({ resourceSpans })).finish());
}

const hex = (b: unknown): string => bytesToHex(new Uint8Array(b as number[]));
const big = (s: unknown): bigint => BigInt(s as string);

function anyFromRef(o: Obj | undefined): AnyValue {
  if (!o || o.value === undefined) return null;
  switch (o.value) {
    case 'stringValue':
      return o.stringValue as string;
    case 'boolValue':
      return o.boolValue as boolean;
    case 'intValue':
      return big(o.intValue);
    case 'doubleValue':
      return o.doubleValue as number;
    case 'bytesValue':
      return new Uint8Array(o.bytesValue as number[]);
    case 'arrayValue':
      return ((o.arrayValue as Obj).values as Obj[]).map(anyFromRef);
    default:
      return { kvlist: ((o.kvlistValue as Obj).values as Obj[]).map(kvFromRef) };
  }
}

const kvFromRef = (o: Obj): KeyValue => ({ key: o.key as string, value: anyFromRef(o.value as Obj | undefined) });
const attrs = (o: Obj): KeyValue[] => (o.attributes as Obj[]).map(kvFromRef);

/** Decodes with protobufjs and converts to the canonical model (ids hex, times bigint). */
export function decodeWithReference(buf: Uint8Array): Span[] {
  const { Request } = otlpTypes();
  const msg = Request.toObject(Request.decode(buf), { longs: String, bytes: Array, defaults: true, arrays: true, oneofs: true });
  const spans: Span[] = [];
  for (const rs of msg.resourceSpans as Obj[]) {
    const r = (rs.resource ?? { attributes: [], droppedAttributesCount: 0 }) as Obj;
    const resource: Resource = { attributes: attrs(r), droppedAttributesCount: r.droppedAttributesCount as number, schemaUrl: rs.schemaUrl as string };
    for (const ss of rs.scopeSpans as Obj[]) {
      const sc = (ss.scope ?? { name: '', version: '', attributes: [], droppedAttributesCount: 0 }) as Obj;
      const scope: Scope = { name: sc.name as string, version: sc.version as string, attributes: attrs(sc), droppedAttributesCount: sc.droppedAttributesCount as number, schemaUrl: ss.schemaUrl as string };
      for (const s of ss.spans as Obj[]) {
        const st = (s.status ?? { code: 0, message: '' }) as Obj;
        const parent = hex(s.parentSpanId);
        spans.push({
          traceId: hex(s.traceId), spanId: hex(s.spanId), parentSpanId: /^0*$/.test(parent) ? '' : parent,
          traceState: s.traceState as string, flags: s.flags as number, name: s.name as string, kind: s.kind as Span['kind'],
          startTimeUnixNano: big(s.startTimeUnixNano), endTimeUnixNano: big(s.endTimeUnixNano),
          attributes: attrs(s), droppedAttributesCount: s.droppedAttributesCount as number,
          events: (s.events as Obj[]).map((e) => ({ timeUnixNano: big(e.timeUnixNano), name: e.name as string, attributes: attrs(e), droppedAttributesCount: e.droppedAttributesCount as number })),
          droppedEventsCount: s.droppedEventsCount as number,
          links: (s.links as Obj[]).map((l) => ({ traceId: hex(l.traceId), spanId: hex(l.spanId), traceState: l.traceState as string, attributes: attrs(l), droppedAttributesCount: l.droppedAttributesCount as number, flags: l.flags as number })),
          droppedLinksCount: s.droppedLinksCount as number,
          status: { code: st.code as Span['status']['code'], message: st.message as string },
          resource, scope,
        });
      }
    }
  }
  return spans;
}
