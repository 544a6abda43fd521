/**
 * Batches of already-encoded spans: one ProtoWriter per scope collects `Span` fields as spans end;
 * sealing a batch is one allocation and one copy per scope, with resource and scope headers
 * encoded once per process rather than once per batch.
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

/** The spans of one scope in the batch being filled. */
export class ScopeBuffer {
  readonly w = new ProtoWriter(1024);
  readonly header: Uint8Array;
  count = 0;
  constructor(readonly scope: Scope) {
    this.header = scopeFields(scope);
  }

  /** Encodes `s`; on a failure the buffer is left as it was and the error is rethrown. */
  add(s: SkeinSpan): void {
    const at = this.w.pos;
    try {
      encodeSpan(this.w, s);
    } catch (e) {
      this.w.pos = at;
      throw e;
    }
    this.count++;
  }
}

/** One ExportTraceServiceRequest from the non-empty scope buffers; resets them. */
export function seal(resource: Resource, scopes: ScopeBuffer[]): Uint8Array {
  const res = resourceField(resource);
  let rsBody = res.length;
  for (const sb of scopes) {
    const ssBody = sb.header.length + sb.w.pos;
    rsBody += 1 + varintSize(ssBody) + ssBody;
  }
  const out = new Uint8Array(1 + varintSize(rsBody) + rsBody);
  out[0] = 0x0a; // ExportTraceServiceRequest.resource_spans (1, LEN)
  let p = putVarint(out, 1, rsBody);
  out.set(res, p);
  p += res.length;
  for (const sb of scopes) {
    const body = sb.w.buf.subarray(0, sb.w.pos);
    out[p++] = 0x12; // ResourceSpans.scope_spans (2, LEN)
    p = putVarint(out, p, sb.header.length + body.length);
    out.set(sb.header, p);
    p += sb.header.length;
    out.set(body, p);
    p += body.length;
    sb.w.reset();
    sb.count = 0;
  }
  return out;
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
  return seal(resource, [...byScope.values()]);
}
