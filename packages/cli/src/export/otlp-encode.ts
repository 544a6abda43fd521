/**
 * A minimal OTLP encoder for the CLI's own spans (protobuf and JSON). The full codecs live in
 * @skein/model; this one exists so `skein exec` loads a few hundred lines instead of every
 * codec on its start-up path (start-up time is its main cost). Tests check it against
 * @skein/model's decoder.
 */
import type { CliSpan, CliValue } from '../trace/cli-span.js';

type Bytes = number[];

function varint(out: Bytes, v: number | bigint): void {
  let n = BigInt.asUintN(64, BigInt(v));
  while (n > 0x7fn) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
}

const tag = (out: Bytes, field: number, wire: number): void => varint(out, (field << 3) | wire);

function bytesField(out: Bytes, field: number, data: ArrayLike<number>): void {
  tag(out, field, 2);
  varint(out, data.length);
  for (let i = 0; i < data.length; i++) out.push(data[i]!);
}

const enc = new TextEncoder();
const str = (out: Bytes, field: number, s: string): void => bytesField(out, field, enc.encode(s));
const hex = (s: string): number[] => {
  const b: number[] = [];
  for (let i = 0; i < s.length; i += 2) b.push(parseInt(s.slice(i, i + 2), 16));
  return b;
};

function fixed64(out: Bytes, field: number, v: bigint): void {
  tag(out, field, 1);
  for (let i = 0n; i < 8n; i++) out.push(Number((v >> (i * 8n)) & 0xffn));
}

function fixed32(out: Bytes, field: number, v: number): void {
  tag(out, field, 5);
  for (let i = 0; i < 4; i++) out.push((v >>> (i * 8)) & 0xff);
}

function anyValue(v: CliValue): Bytes {
  const o: Bytes = [];
  if (typeof v === 'string') str(o, 1, v);
  else if (typeof v === 'boolean') {
    tag(o, 2, 0);
    o.push(v ? 1 : 0);
  } else if (typeof v === 'bigint') {
    tag(o, 3, 0);
    varint(o, v);
  } else if (typeof v === 'number') {
    tag(o, 4, 1);
    o.push(...new Uint8Array(new Float64Array([v]).buffer));
  } else {
    const arr: Bytes = [];
    for (const s of v) {
      const item: Bytes = [];
      str(item, 1, s);
      bytesField(arr, 1, item);
    }
    bytesField(o, 5, arr);
  }
  return o;
}

function keyValues(out: Bytes, field: number, attrs: Array<[string, CliValue]>): void {
  for (const [k, v] of attrs) {
    const kv: Bytes = [];
    str(kv, 1, k);
    bytesField(kv, 2, anyValue(v));
    bytesField(out, field, kv);
  }
}

function spanMessage(s: CliSpan): Bytes {
  const o: Bytes = [];
  bytesField(o, 1, hex(s.traceId));
  bytesField(o, 2, hex(s.spanId));
  if (s.traceState) str(o, 3, s.traceState);
  if (s.parentSpanId) bytesField(o, 4, hex(s.parentSpanId));
  str(o, 5, s.name);
  if (s.kind) {
    tag(o, 6, 0);
    varint(o, s.kind);
  }
  fixed64(o, 7, s.startNs);
  fixed64(o, 8, s.endNs);
  keyValues(o, 9, s.attributes);
  for (const e of s.events) {
    const ev: Bytes = [];
    fixed64(ev, 1, e.timeNs);
    str(ev, 2, e.name);
    keyValues(ev, 3, e.attributes);
    bytesField(o, 11, ev);
  }
  if (s.statusCode || s.statusMessage) {
    const st: Bytes = [];
    if (s.statusMessage) str(st, 2, s.statusMessage);
    if (s.statusCode) {
      tag(st, 3, 0);
      varint(st, s.statusCode);
    }
    bytesField(o, 15, st);
  }
  // flags bit 8/9: "has is_remote" / "parent is remote" (OTLP 1.1); the low byte is W3C flags
  fixed32(o, 16, (s.flags & 0xff) | 0x100 | (s.parentSpanId ? 0x200 : 0));
  return o;
}

export const SCOPE_NAME = 'skein-cli';

/** An ExportTraceServiceRequest for spans (one ResourceSpans per service) as protobuf bytes. */
export function encodeCliSpansProto(spans: CliSpan[], version = ''): Uint8Array {
  const out: Bytes = [];
  for (const [service, group] of byService(spans)) {
    const rs: Bytes = [];
    const res: Bytes = [];
    keyValues(res, 1, [['service.name', service]]);
    bytesField(rs, 1, res);
    const ss: Bytes = [];
    const scope: Bytes = [];
    str(scope, 1, SCOPE_NAME);
    if (version) str(scope, 2, version);
    bytesField(ss, 1, scope);
    for (const s of group) bytesField(ss, 2, spanMessage(s));
    bytesField(rs, 2, ss);
    bytesField(out, 1, rs);
  }
  return Uint8Array.from(out);
}

function byService(spans: CliSpan[]): Map<string, CliSpan[]> {
  const m = new Map<string, CliSpan[]>();
  for (const s of spans) {
    const g = m.get(s.service);
    if (g) g.push(s);
    else m.set(s.service, [s]);
  }
  return m;
}

function jsonValue(v: CliValue): unknown {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return { doubleValue: v };
  return { arrayValue: { values: v.map((s) => ({ stringValue: s })) } };
}

const jsonAttrs = (a: Array<[string, CliValue]>): unknown[] => a.map(([key, v]) => ({ key, value: jsonValue(v) }));

/** The same request as OTLP JSON (hex ids, decimal-string times), for http/json endpoints. */
export function encodeCliSpansJson(spans: CliSpan[], version = ''): string {
  const resourceSpans = [...byService(spans)].map(([service, group]) => ({
    resource: { attributes: jsonAttrs([['service.name', service]]) },
    scopeSpans: [
      {
        scope: { name: SCOPE_NAME, version },
        spans: group.map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.traceState ? { traceState: s.traceState } : {}),
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          flags: (s.flags & 0xff) | 0x100 | (s.parentSpanId ? 0x200 : 0),
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: s.startNs.toString(),
          endTimeUnixNano: s.endNs.toString(),
          attributes: jsonAttrs(s.attributes),
          events: s.events.map((e) => ({ timeUnixNano: e.timeNs.toString(), name: e.name, attributes: jsonAttrs(e.attributes) })),
          status: { code: s.statusCode, ...(s.statusMessage ? { message: s.statusMessage } : {}) },
        })),
      },
    ],
  }));
  return JSON.stringify({ resourceSpans });
}
