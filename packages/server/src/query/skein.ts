/**
 * Skein's own query endpoints for its web UI (`/api/skein/*`): a trace as compact binary
 * columns that the browser wraps in typed arrays without parsing, and one span's full detail.
 *
 * `GET /api/skein/traces/{id}` answers `application/vnd.skein.trace` (format version 1):
 *
 *   0   "SKT1" (ASCII)
 *   4   uint32 LE: byte length H of the header
 *   8   H bytes of UTF-8 JSON header (SkeinTraceHeader), zero-padded to a multiple of 8
 *   ..  columns, little-endian, each at the byte offset the header names (multiples of 8)
 *
 * Times are ns relative to the trace's earliest start (float64 holds 104 days of ns exactly);
 * parents are already resolved to span indices (-1 for a root or an orphan). Attributes,
 * events' attributes, links and resources are left out: `GET /api/skein/traces/{id}/spans/{spanId}`
 * answers one span as OTLP JSON (`{result: TracesData}`) when the UI opens its detail.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Resource, Span } from '@skein/model';
import { serviceName } from '@skein/model';
import type { TraceReader } from '../store/store.js';
import { ApiError, toJson } from './http.js';
import { encodeOtlpJson } from './otlp.js';
import { traceIdParam } from './params.js';

export const SKEIN_TRACE_TYPE = 'application/vnd.skein.trace';
export const SKEIN_TRACE_MAGIC = 'SKT1';

export type ColumnType = 'f64' | 'i32' | 'u8';

export interface ColumnRef {
  name: string;
  type: ColumnType;
  /** Byte offset from the start of the body (a multiple of 8). */
  offset: number;
  /** Number of elements. */
  length: number;
}

export interface SkeinTraceHeader {
  version: 1;
  traceId: string;
  /** Earliest span start, ns since the epoch, decimal (exact). */
  baseNs: string;
  /** Latest end minus earliest start, ns. */
  durationNs: number;
  n: number;
  events: number;
  /** Spans whose parent id names a span that is not in the trace. */
  orphans: number;
  names: string[];
  services: string[];
  /**
   * start, dur (f64, n), eventTime (f64, events), parent, nameIdx, svcIdx (i32, n),
   * eventStart (i32, n + 1), kind, error (u8, n; error is 1 for status ERROR), spanIds (u8, 16n:
   * the hex span ids concatenated as ASCII).
   */
  columns: ColumnRef[];
}

const BYTES: Record<ColumnType, number> = { f64: 8, i32: 4, u8: 1 };
const align8 = (x: number) => (x + 7) & ~7;

/** Encodes a trace's spans (all of one trace id, any order) as the compact body, in one buffer. */
export function encodeSkeinTrace(spans: readonly Span[]): Buffer {
  return Buffer.concat(encodeSkeinTraceChunks(spans));
}

/**
 * The compact body as two chunks, header and columns, to be written one after the other (the
 * columns are not copied behind the header: a million spans are 50 MB).
 */
export function encodeSkeinTraceChunks(spans: readonly Span[]): [Buffer, Buffer] {
  return encode(spans).chunks;
}

function encode(spans: readonly Span[]): { chunks: [Buffer, Buffer]; index: SpanIdIndex } {
  const n = spans.length;
  if (n === 0) throw new Error('a trace needs at least one span');
  let base = spans[0]!.startTimeUnixNano;
  let end = spans[0]!.endTimeUnixNano;
  let events = 0;
  const index = new SpanIdIndex(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    if (s.startTimeUnixNano < base) base = s.startTimeUnixNano;
    if (s.endTimeUnixNano > end) end = s.endTimeUnixNano;
    events += s.events.length;
    index.add(s.spanId, i);
  }
  const want: Array<[string, ColumnType, number]> = [
    ['start', 'f64', n], ['dur', 'f64', n], ['eventTime', 'f64', events],
    ['parent', 'i32', n], ['nameIdx', 'i32', n], ['svcIdx', 'i32', n], ['eventStart', 'i32', n + 1],
    ['kind', 'u8', n], ['error', 'u8', n], ['spanIds', 'u8', 16 * n],
  ];
  // Lay the columns out from 0, then shift them past the header once its size is known.
  const columns: ColumnRef[] = [];
  let at = 0;
  for (const [name, type, length] of want) {
    columns.push({ name, type, offset: at, length });
    at = align8(at + length * BYTES[type]);
  }
  const dataBytes = at;
  const data = new ArrayBuffer(dataBytes);
  const col = (k: number) => columns[k]!;
  const start = new Float64Array(data, col(0).offset, n);
  const dur = new Float64Array(data, col(1).offset, n);
  const eventTime = new Float64Array(data, col(2).offset, events);
  const parent = new Int32Array(data, col(3).offset, n);
  const nameIdx = new Int32Array(data, col(4).offset, n);
  const svcIdx = new Int32Array(data, col(5).offset, n);
  const eventStart = new Int32Array(data, col(6).offset, n + 1);
  const kind = new Uint8Array(data, col(7).offset, n);
  const error = new Uint8Array(data, col(8).offset, n);
  const ids = new Uint8Array(data, col(9).offset, 16 * n);

  const names: string[] = [];
  const nameMap = new Map<string, number>();
  const services: string[] = [];
  const svcMap = new Map<string, number>();
  // Spans of one batch share their Resource object: look the service name up once per object.
  const byResource = new Map<Resource, number>();
  let orphans = 0;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    start[i] = Number(s.startTimeUnixNano - base);
    const d = s.endTimeUnixNano - s.startTimeUnixNano;
    dur[i] = d > 0n ? Number(d) : 0;
    let ni = nameMap.get(s.name);
    if (ni === undefined) nameMap.set(s.name, (ni = names.push(s.name) - 1));
    nameIdx[i] = ni;
    let si = byResource.get(s.resource);
    if (si === undefined) {
      const svc = serviceName(s.resource);
      si = svcMap.get(svc);
      if (si === undefined) svcMap.set(svc, (si = services.push(svc) - 1));
      byResource.set(s.resource, si);
    }
    svcIdx[i] = si;
    kind[i] = s.kind;
    error[i] = s.status.code === 2 ? 1 : 0;
    parent[i] = -1;
    if (s.parentSpanId) {
      const p = index.get(s.parentSpanId);
      if (p < 0) orphans++;
      else if (p !== i) parent[i] = p;
    }
    eventStart[i] = e;
    for (const ev of s.events) eventTime[e++] = Number(ev.timeUnixNano - base);
    // Char codes one by one: ~10x faster than a Buffer.write per span.
    const id = s.spanId.length === 16 ? s.spanId : s.spanId.padStart(16, '0').slice(-16);
    for (let k = 0, o = 16 * i; k < 16; k++) ids[o + k] = id.charCodeAt(k);
  }
  eventStart[n] = e;

  const header: SkeinTraceHeader = {
    version: 1, traceId: spans[0]!.traceId, baseNs: base.toString(), durationNs: Number(end - base),
    n, events, orphans, names, services, columns,
  };
  // The header's size depends on the offsets it lists: grow the offsets until they agree.
  let headerBytes = 0;
  let json = Buffer.alloc(0);
  for (let shift = 0; ; ) {
    header.columns = columns.map((c) => ({ ...c, offset: c.offset + shift }));
    json = Buffer.from(JSON.stringify(header), 'utf8');
    headerBytes = align8(8 + json.length);
    if (headerBytes === shift) break;
    shift = headerBytes;
  }
  const head = Buffer.alloc(headerBytes);
  head.write(SKEIN_TRACE_MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, 4);
  json.copy(head, 8);
  return { chunks: [head, Buffer.from(data)], index };
}

/**
 * Span id -> first index with that id. Ids (16 hex digits) are split into two uint32 halves in
 * an open-addressing table: a Map of a million id strings took ~1 s, this ~0.1 s. Ids that are
 * not 16 hex digits (not from the model's codecs) go to a Map.
 */
class SpanIdIndex {
  private readonly table: Int32Array;
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly mask: number;
  private readonly odd = new Map<string, number>();
  private h = 0;
  private l = 0;

  constructor(n: number) {
    let size = 16;
    while (size < n * 2) size *= 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
  }

  /** Sets this.h / this.l from a 16-hex-digit id; false for any other id. */
  private split(id: string): boolean {
    if (id.length !== 16) return false;
    let h = 0, l = 0;
    for (let k = 0; k < 16; k++) {
      const c = id.charCodeAt(k);
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (v < 0) return false;
      if (k < 8) h = (h << 4) | v;
      else l = (l << 4) | v;
    }
    this.h = h >>> 0;
    this.l = l >>> 0;
    return true;
  }

  private slot(): number {
    let x = Math.imul(this.l ^ Math.imul(this.h, 0x9e3779b1), 0x85ebca6b);
    x ^= x >>> 15;
    return x & this.mask;
  }

  /** Records the span at index i unless its id is already known. */
  add(id: string, i: number): void {
    if (!this.split(id)) {
      if (!this.odd.has(id)) this.odd.set(id, i);
      return;
    }
    for (let at = this.slot(); ; at = (at + 1) & this.mask) {
      const j = this.table[at]!;
      if (j < 0) {
        this.table[at] = i;
        this.hi[i] = this.h;
        this.lo[i] = this.l;
        return;
      }
      if (this.hi[j] === this.h && this.lo[j] === this.l) return;
    }
  }

  /** Index of the first span with this id, or -1. */
  get(id: string): number {
    if (!this.split(id)) return this.odd.get(id) ?? -1;
    for (let at = this.slot(); ; at = (at + 1) & this.mask) {
      const j = this.table[at]!;
      if (j < 0) return -1;
      if (this.hi[j] === this.h && this.lo[j] === this.l) return j;
    }
  }
}

/** Decodes the header of a compact body (for tests and tools; the UI has its own decoder). */
export function decodeSkeinTraceHeader(body: Uint8Array): SkeinTraceHeader {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (buf.length < 8 || buf.toString('latin1', 0, 4) !== SKEIN_TRACE_MAGIC) throw new Error('not a Skein compact trace: bad magic');
  const len = buf.readUInt32LE(4);
  return JSON.parse(buf.toString('utf8', 8, 8 + len)) as SkeinTraceHeader;
}

/**
 * The last few traces served, by reader, so that opening a span's detail right after the
 * trace (the usual click) does not read the whole trace from the store again.
 */
const CACHE_TRACES = 2;
const CACHE_MS = 60_000;
const caches = new WeakMap<TraceReader, Map<string, { at: number; spans: Span[]; index: SpanIdIndex }>>();

function remember(reader: TraceReader, traceId: string, spans: Span[], index: SpanIdIndex): void {
  let cache = caches.get(reader);
  if (!cache) caches.set(reader, (cache = new Map()));
  cache.delete(traceId);
  cache.set(traceId, { at: Date.now(), spans, index });
  while (cache.size > CACHE_TRACES) cache.delete(cache.keys().next().value!);
}

async function findSpan(reader: TraceReader, traceId: string, spanId: string): Promise<Span | undefined> {
  const hit = caches.get(reader)?.get(traceId);
  const at = hit && Date.now() - hit.at < CACHE_MS ? hit.index.get(spanId) : -1;
  if (at >= 0) return hit!.spans[at];
  const spans = await reader.getTrace(traceId);
  return spans.find((s) => s.spanId === spanId);
}

function send(res: ServerResponse, status: number, type: string, body: Buffer[] | string, head: boolean): void {
  const chunks = typeof body === 'string' ? [Buffer.from(body, 'utf8')] : body;
  res.writeHead(status, {
    'content-type': type,
    'content-length': chunks.reduce((sum, c) => sum + c.length, 0),
    'cache-control': 'no-store',
    // Lets the UI tell this API's answers (even a 404) from a server that lacks the endpoint.
    'x-skein-api': '1',
  });
  if (!head) for (const c of chunks.slice(0, -1)) res.write(c);
  res.end(head ? undefined : chunks[chunks.length - 1]);
}

const TRACE_PATH = /^\/api\/skein\/traces\/([^/]+)$/;
const SPAN_PATH = /^\/api\/skein\/traces\/([^/]+)\/spans\/([^/]+)$/;

/**
 * Answers `/api/skein/traces/{id}` and `/api/skein/traces/{id}/spans/{spanId}`; resolves false
 * for any other path so the caller can route it elsewhere.
 */
export async function handleSkeinApi(req: IncomingMessage, res: ServerResponse, path: string, reader: TraceReader): Promise<boolean> {
  const spanMatch = SPAN_PATH.exec(path);
  const traceMatch = spanMatch ? null : TRACE_PATH.exec(path);
  if (!spanMatch && !traceMatch) return false;
  const head = req.method === 'HEAD';
  try {
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      throw new ApiError(405, `${req.method} is not allowed on ${path}; use GET`);
    }
    const m = (spanMatch ?? traceMatch)!;
    let raw: string[];
    try {
      raw = m.slice(1).map((s) => decodeURIComponent(s));
    } catch {
      throw new ApiError(400, `malformed path '${path}': bad percent-encoding`);
    }
    const traceId = traceIdParam('trace_id', raw[0]!);
    if (spanMatch) {
      const spanId = raw[1]!.toLowerCase();
      if (!/^[0-9a-f]{16}$/.test(spanId)) throw new ApiError(400, `malformed parameter 'span_id': expected 16 hex digits, got '${raw[1]}'`);
      const span = await findSpan(reader, traceId, spanId);
      if (!span) throw new ApiError(404, `span not found: trace ${traceId} has no span ${spanId}`);
      send(res, 200, 'application/json; charset=utf-8', toJson({ result: encodeOtlpJson([span]) }, false), head);
      return true;
    }
    const spans = await reader.getTrace(traceId);
    if (spans.length === 0) throw new ApiError(404, `trace not found: no spans are stored for trace id ${traceId}`);
    const { chunks, index } = encode(spans);
    remember(reader, traceId, spans, index);
    send(res, 200, SKEIN_TRACE_TYPE, chunks, head);
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 500;
    const message = err instanceof Error ? err.message : String(err);
    if (res.headersSent) res.destroy();
    else send(res, status, 'application/json; charset=utf-8', toJson({ error: { httpCode: status, message } }, false), head);
  }
  return true;
}
