/** Zipkin proto3 (zipkin.proto3.ListOfSpans, POST /api/v2/spans as application/x-protobuf). */
import { bytesToHex, hexToBytes } from '../ids.js';
import { rethrowWithin } from '../protobuf/decode-error.js';
import { ProtoReader } from '../protobuf/reader.js';
import { ProtoWriter } from '../protobuf/writer.js';
import type { Span } from '../span.js';
import { spansToZipkin } from './from-span.js';
import { zipkinToSpans } from './to-span.js';
import type { ZipkinEndpoint, ZipkinKind, ZipkinSpan } from './types.js';

const KINDS: (ZipkinKind | undefined)[] = [undefined, 'CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'];

function ipv6Text(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

function ipv6Bytes(s: string): Uint8Array | undefined {
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

function readEndpoint(r: ProtoReader): ZipkinEndpoint {
  const outer = r.enter();
  const ep: ZipkinEndpoint = {};
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: ep.serviceName = r.string(); break;
      case 18: { const b = r.bytes(); if (b.length === 4) ep.ipv4 = b.join('.'); else if (b.length) r.fail(`ipv4 must be 4 bytes, got ${b.length}`); break; }
      case 26: { const b = r.bytes(); if (b.length === 16) ep.ipv6 = ipv6Text(b); else if (b.length) r.fail(`ipv6 must be 16 bytes, got ${b.length}`); break; }
      case 32: ep.port = r.int32() & 0xffff; break;
      default: r.skip(tag & 7);
    }
  }
  r.leave(outer);
  return ep;
}

function readId(r: ProtoReader, sizes: number[], what: string): string {
  const b = r.bytes();
  if (!sizes.includes(b.length)) r.fail(`${what} must be ${sizes.join(' or ')} bytes, got ${b.length}`);
  return bytesToHex(b);
}

function readSpan(r: ProtoReader): ZipkinSpan {
  const outer = r.enter();
  const z: ZipkinSpan = { traceId: '', id: '' };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: z.traceId = readId(r, [8, 16], 'trace_id'); break;
      case 18: z.parentId = readId(r, [8], 'parent_id'); break;
      case 26: z.id = readId(r, [8], 'id'); break;
      case 32: z.kind = KINDS[r.enum()]; break;
      case 42: z.name = r.string(); break;
      case 49: z.timestamp = Number(r.fixed64()); break;
      case 56: z.duration = r.uint53(); break;
      case 66: z.localEndpoint = readEndpoint(r); break;
      case 74: z.remoteEndpoint = readEndpoint(r); break;
      case 82: {
        const o = r.enter();
        const a = { timestamp: 0, value: '' };
        while (r.pos < r.end) {
          const t = r.tag();
          if (t === 9) a.timestamp = Number(r.fixed64());
          else if (t === 18) a.value = r.string();
          else r.skip(t & 7);
        }
        r.leave(o);
        (z.annotations ??= []).push(a);
        break;
      }
      case 90: {
        const o = r.enter();
        let k = '';
        let v = '';
        while (r.pos < r.end) {
          const t = r.tag();
          if (t === 10) k = r.string();
          else if (t === 18) v = r.string();
          else r.skip(t & 7);
        }
        r.leave(o);
        (z.tags ??= {})[k] = v;
        break;
      }
      case 96: z.debug = r.bool(); break;
      case 104: z.shared = r.bool(); break;
      default: r.skip(tag & 7);
    }
  }
  r.leave(outer);
  if (!z.traceId || /^0+$/.test(z.traceId)) r.fail('trace_id missing or zero');
  if (!z.id || z.id === '0000000000000000') r.fail('id missing or zero');
  return z;
}

/** Decodes a ListOfSpans; throws DecodeError with the span index and byte offset. */
export function decodeZipkinProto(buf: Uint8Array): Span[] {
  const r = new ProtoReader(buf);
  const list: ZipkinSpan[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag !== 10) {
      r.skip(tag & 7);
      continue;
    }
    try {
      list.push(readSpan(r));
    } catch (e) {
      rethrowWithin(e, `spans[${list.length}]`);
    }
  }
  return zipkinToSpans(list);
}

function writeEndpoint(w: ProtoWriter, field: number, ep: ZipkinEndpoint | undefined): void {
  if (!ep) return;
  const m = w.begin(field);
  if (ep.serviceName) w.string(1, ep.serviceName);
  if (ep.ipv4) {
    const parts = ep.ipv4.split('.').map(Number);
    if (parts.length === 4 && parts.every((n) => n >= 0 && n < 256)) w.bytes(2, Uint8Array.from(parts));
  }
  const v6 = ep.ipv6 ? ipv6Bytes(ep.ipv6) : undefined;
  if (v6) w.bytes(3, v6);
  if (ep.port) w.int32(4, ep.port);
  w.end(m);
}

export function encodeZipkinProto(spans: Span[]): Uint8Array {
  const w = new ProtoWriter();
  for (const z of spansToZipkin(spans)) {
    const m = w.begin(1);
    w.bytes(1, hexToBytes(z.traceId));
    if (z.parentId) w.bytes(2, hexToBytes(z.parentId));
    w.bytes(3, hexToBytes(z.id));
    if (z.kind) w.int32(4, KINDS.indexOf(z.kind));
    if (z.name) w.string(5, z.name);
    if (z.timestamp) w.fixed64(6, BigInt(z.timestamp));
    if (z.duration) w.uint64(7, BigInt(z.duration));
    writeEndpoint(w, 8, z.localEndpoint);
    writeEndpoint(w, 9, z.remoteEndpoint);
    for (const a of z.annotations ?? []) {
      const am = w.begin(10);
      w.fixed64(1, BigInt(a.timestamp));
      w.string(2, a.value);
      w.end(am);
    }
    for (const [k, v] of Object.entries(z.tags ?? {})) {
      const tm = w.begin(11);
      w.string(1, k);
      w.string(2, v);
      w.end(tm);
    }
    if (z.debug) w.bool(12, true);
    if (z.shared) w.bool(13, true);
    w.end(m);
  }
  return w.finish();
}
