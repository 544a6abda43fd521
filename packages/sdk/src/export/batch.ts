/**
 * Batches of already-encoded spans. Each scope's spans are written, as they end, into that
 * scope's reusable ProtoWriter; sealing a batch appends one ExportTraceServiceRequest (headers
 * encoded once per process, then one copy per scope) to a spool: a FIFO byte arena reused from
 * its start once what it holds has been sent, so the steady state allocates nothing per batch.
 */

import { ProtoWriter } from '@skein/model';
import type { Resource, Scope } from '@skein/model';
import type { SkeinSpan } from '../span.js';
import { encodeSpan, resourceField, scopeFields } from './encode.js';

const varintSize = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

function putVarint(out: Uint8Array, pos: number, v: number): number {
  while (v > 0x7f) {
    out[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[pos++] = v;
  return pos;
}

/** The spans of one scope in the batch being filled (ScopeSpans.spans fields). */
export class ScopeBuffer {
  readonly w = new ProtoWriter(1024);
  /** The scope and schema_url fields of ScopeSpans. */
  readonly header: Uint8Array;
  count = 0;
  constructor(readonly scope: Scope) {
    this.header = scopeFields(scope);
  }

  /** Encodes `s`; on a failure the buffer is left as it was and the error is rethrown. */
  add(s: SkeinSpan): void {
    const w = this.w;
    const at = w.pos;
    try {
      encodeSpan(w, s);
    } catch (e) {
      w.pos = at;
      throw e;
    }
    this.count++;
  }
}

/**
 * Spools outlive their queue: fresh memory costs a page fault per 4 KiB the first time it is
 * written (measured here at ~16 us each, far more than encoding the spans in it), so a process
 * that replaces its SDK, or a burst that grew a spool, reuses memory already paid for.
 */
const spareSpools: ProtoWriter[] = [];

export function takeSpool(): ProtoWriter {
  const w = spareSpools.pop() ?? new ProtoWriter(64 * 1024);
  w.reset();
  return w;
}

export function giveSpool(w: ProtoWriter): void {
  if (spareSpools.length < 2) spareSpools.push(w);
}

/** A sealed request: bytes [start, end) of the spool. */
export interface Sealed {
  start: number;
  end: number;
}

/**
 * Appends one ExportTraceServiceRequest made of `res` (encoded Resource field) and the non-empty
 * scope buffers to `spool`; the buffers are left empty.
 */
export function seal(spool: ProtoWriter, res: Uint8Array, scopes: ScopeBuffer[]): Sealed {
  let rsBody = res.length;
  for (const sb of scopes) {
    const ssBody = sb.header.length + sb.w.pos;
    rsBody += 1 + varintSize(ssBody) + ssBody;
  }
  const start = spool.pos;
  spool.ensure(1 + varintSize(rsBody) + rsBody);
  const out = spool.buf;
  out[start] = 0x0a; // ExportTraceServiceRequest.resource_spans (1, LEN)
  let p = putVarint(out, start + 1, rsBody);
  out.set(res, p);
  p += res.length;
  for (const sb of scopes) {
    const body = sb.w.finish();
    out[p++] = 0x12; // ResourceSpans.scope_spans (2, LEN)
    p = putVarint(out, p, sb.header.length + body.length);
    out.set(sb.header, p);
    p += sb.header.length;
    out.set(body, p);
    p += body.length;
    sb.w.reset();
    sb.count = 0;
  }
  spool.pos = p;
  return { start, end: p };
}

/** One ExportTraceServiceRequest for `spans` (one resource; spans grouped by scope). */
export function encodeSpans(spans: SkeinSpan[], resource: Resource): Uint8Array {
  const byScope = new Map<Scope, ScopeBuffer>();
  for (const s of spans) {
    const sc = s.owner.scope;
    let sb = byScope.get(sc);
    if (sb === undefined) byScope.set(sc, (sb = new ScopeBuffer(sc)));
    sb.add(s);
  }
  const spool = new ProtoWriter(1024);
  const r = seal(spool, resourceField(resource), [...byScope.values()]);
  return spool.buf.subarray(r.start, r.end);
}
