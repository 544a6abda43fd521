/**
 * Reads the server's compact trace (`GET /api/skein/traces/{id}`, `application/vnd.skein.trace`):
 * a small JSON header and little-endian typed columns that are wrapped, not parsed. The format
 * is written down in packages/server/src/query/skein.ts.
 */
import type { Trace } from '../trace/model.js';
import { assembleTrace } from '../trace/tree.js';
import type { Preloaded } from './protocol.js';

export const COMPACT_TYPE = 'application/vnd.skein.trace';

interface ColumnRef {
  name: string;
  type: 'f64' | 'i32' | 'u8';
  offset: number;
  length: number;
}

interface Header {
  version: number;
  traceId: string;
  baseNs: string;
  durationNs: number;
  n: number;
  orphans: number;
  names: string[];
  services: string[];
  columns: ColumnRef[];
}

/** The compact body as a Trace (tree built here); throws an Error naming what is wrong. */
export function decodeCompact(buf: ArrayBuffer): Trace {
  const bytes = new Uint8Array(buf);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'SKT1') throw new Error('the server sent a compact trace with an unknown format (expected SKT1)');
  const len = new DataView(buf).getUint32(4, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Header;
  if (h.version !== 1) throw new Error(`compact trace format version ${h.version} is not supported`);
  const cols = new Map(h.columns.map((c) => [c.name, c]));
  const get = (name: string): ColumnRef => {
    const c = cols.get(name);
    if (!c || c.offset % 8 !== 0 || c.offset + c.length * (c.type === 'f64' ? 8 : c.type === 'i32' ? 4 : 1) > buf.byteLength) {
      throw new Error(`compact trace column "${name}" is missing or out of bounds`);
    }
    return c;
  };
  const f64 = (name: string) => new Float64Array(buf, get(name).offset, get(name).length);
  const i32 = (name: string) => new Int32Array(buf, get(name).offset, get(name).length);
  const u8 = (name: string) => new Uint8Array(buf, get(name).offset, get(name).length);
  const n = h.n;
  // Every column is copied into its own buffer so each can be transferred to the page alone.
  return assembleTrace({
    traceId: h.traceId,
    baseNs: h.baseNs,
    duration: h.durationNs,
    n,
    spanIds: new TextDecoder('latin1').decode(u8('spanIds')),
    parent: i32('parent').slice(),
    start: f64('start').slice(),
    dur: f64('dur').slice(),
    nameIdx: i32('nameIdx').slice(),
    names: h.names,
    svcIdx: i32('svcIdx').slice(),
    services: h.services,
    kind: u8('kind').slice(),
    error: u8('error').slice(),
    eventStart: i32('eventStart').slice(),
    eventTime: f64('eventTime').slice(),
    orphans: h.orphans,
  });
}

/** An error carrying the HTTP status the server answered with. */
export class HttpError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** The message in an error body from the query API (v3, classic or skein shape), or its text. */
export async function errorOf(res: Response): Promise<HttpError> {
  const text = await res.text().catch(() => '');
  let msg = text.slice(0, 300);
  try {
    const j = JSON.parse(text) as { error?: { message?: string } | string; errors?: { msg?: string }[]; message?: string };
    msg = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.errors?.[0]?.msg ?? j.message ?? msg;
  } catch {
    /* the body was not JSON: keep its text */
  }
  return new HttpError(msg || `HTTP ${res.status}`, res.status);
}

/**
 * Fetches the compact form. Resolves null when the server has no such endpoint (an older
 * server, or one that only speaks Jaeger's API), so the caller falls back to OTLP JSON.
 */
export async function fetchCompact(url: string, preloaded?: Preloaded): Promise<Trace | null> {
  if (preloaded) {
    if (!preloaded.skein) return null;
    const res = new Response(preloaded.bytes, { status: preloaded.status, headers: { 'content-type': preloaded.type } });
    if (!res.ok) throw await errorOf(res);
    if (!preloaded.type.startsWith(COMPACT_TYPE)) return null;
    return decodeCompact(preloaded.bytes);
  }
  const res = await fetch(url, { headers: { accept: `${COMPACT_TYPE}, application/json;q=0.5` } });
  if (res.headers.get('x-skein-api') !== '1') {
    void res.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!res.ok) throw await errorOf(res);
  if (!(res.headers.get('content-type') ?? '').startsWith(COMPACT_TYPE)) return null;
  return decodeCompact(await res.arrayBuffer());
}
