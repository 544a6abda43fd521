import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from './test-support/fixtures.js';
import { resource, span, startApi } from './test-support/fixtures.js';
import { T0, TRACE_A, TRACE_ORPHAN, datasetSpans } from './test-support/dataset.js';
import { SKEIN_TRACE_TYPE, decodeSkeinTraceHeader, encodeSkeinTrace } from './skein.js';
import type { SkeinTraceHeader } from './skein.js';

let api: TestApi;
beforeAll(async () => {
  api = await startApi(datasetSpans());
});
afterAll(() => api.close());

async function getBinary(path: string) {
  const res = await fetch(api.base + path);
  return { status: res.status, type: res.headers.get('content-type') ?? '', skein: res.headers.get('x-skein-api'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Every column of a body as a typed array, as the UI's worker reads it. */
function columns(bytes: Uint8Array, h: SkeinTraceHeader) {
  const buf = bytes.slice().buffer;
  const out: Record<string, Float64Array | Int32Array | Uint8Array> = {};
  for (const c of h.columns) {
    expect(c.offset % 8).toBe(0);
    out[c.name] = c.type === 'f64' ? new Float64Array(buf, c.offset, c.length) : c.type === 'i32' ? new Int32Array(buf, c.offset, c.length) : new Uint8Array(buf, c.offset, c.length);
  }
  return out;
}

describe('GET /api/skein/traces/{id}', () => {
  it('answers the trace as binary columns with parents resolved and times relative to the start', async () => {
    const r = await getBinary(`/api/skein/traces/${TRACE_A}`);
    expect(r.status).toBe(200);
    expect(r.type).toBe(SKEIN_TRACE_TYPE);
    expect(r.skein).toBe('1');
    const h = decodeSkeinTraceHeader(r.bytes);
    expect(h).toMatchObject({ version: 1, traceId: TRACE_A, baseNs: String(T0 + 1_999n), durationNs: 5_000_999 - 1_999, n: 2, events: 1, orphans: 0 });
    const c = columns(r.bytes, h);
    const at = (id: string) => new TextDecoder().decode(c.spanIds).indexOf(id) / 16;
    const root = at('000000000000000a'), child = at('000000000000000b');
    expect([root, child].sort()).toEqual([0, 1]);
    expect(c.parent![root]).toBe(-1);
    expect(c.parent![child]).toBe(root);
    expect(c.start![root]).toBe(0);
    expect(c.start![child]).toBe(1_000_000 - 1_999);
    expect(c.dur![child]).toBe(3_000_000);
    expect(h.names[c.nameIdx![child]!]).toBe('SELECT users');
    expect(h.services[c.svcIdx![root]!]).toBe('frontend');
    expect(h.services[c.svcIdx![child]!]).toBe('backend');
    expect([c.kind![root], c.kind![child]]).toEqual([2, 3]);
    expect([c.error![root], c.error![child]]).toEqual([0, 1]);
    expect(c.eventStart![root + 1]! - c.eventStart![root]!).toBe(1);
    expect(c.eventTime![c.eventStart![root]!]).toBe(2_500_500 - 1_999);
  });

  it('counts orphans and leaves their parent unresolved', async () => {
    const r = await getBinary(`/api/skein/traces/${TRACE_ORPHAN}`);
    const h = decodeSkeinTraceHeader(r.bytes);
    expect(h.orphans).toBe(1);
    const c = columns(r.bytes, h);
    expect(Array.from(c.parent!).sort()).toEqual([-1, 0].sort());
  });

  it('answers 404 and 400 as JSON marked as this API', async () => {
    const missing = await api.get(`/api/skein/traces/${'e'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('trace not found');
    const bad = await getBinary('/api/skein/traces/nope');
    expect(bad.status).toBe(400);
    expect(bad.skein).toBe('1');
    expect(new TextDecoder().decode(bad.bytes)).toContain("'trace_id'");
  });

  it('keeps ns exact across a trace of many spans and interns names and services', () => {
    const spans = Array.from({ length: 1000 }, (_, i) =>
      span({
        traceId: TRACE_A,
        spanId: (i + 1).toString(16).padStart(16, '0'),
        parentSpanId: i ? '0000000000000001' : '',
        name: `op${i % 3}`,
        startTimeUnixNano: T0 + BigInt(i) * 1_000_001n + 7n,
        endTimeUnixNano: T0 + BigInt(i) * 1_000_001n + 7n + BigInt(i),
        resource: resource(i % 2 ? 'odd' : 'even'),
      }),
    );
    const body = encodeSkeinTrace(spans);
    const h = decodeSkeinTraceHeader(body);
    const c = columns(body, h);
    expect(h.names).toEqual(['op0', 'op1', 'op2']);
    expect(h.services).toEqual(['even', 'odd']);
    expect(c.start![999]).toBe(999 * 1_000_001);
    expect(c.dur![999]).toBe(999);
    expect(c.parent![500]).toBe(0);
  });
});

describe('GET /api/skein/traces/{id}/spans/{spanId}', () => {
  it('answers one span with its attributes, events and links as OTLP JSON', async () => {
    const r = await api.get(`/api/skein/traces/${TRACE_A}/spans/000000000000000b`);
    expect(r.status).toBe(200);
    const spans = r.body.result.resourceSpans.flatMap((rs: { scopeSpans: { spans: unknown[] }[] }) => rs.scopeSpans.flatMap((ss) => ss.spans));
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ spanId: '000000000000000b', name: 'SELECT users', status: { code: 2, message: 'deadlock' } });
    expect(spans[0].attributes).toEqual([{ key: 'db.system', value: { stringValue: 'postgresql' } }]);
    expect(spans[0].links[0].spanId).toBe('00000000000000b1');
  });

  it('answers 404 for a span the trace lacks and 400 for a bad span id', async () => {
    expect((await api.get(`/api/skein/traces/${TRACE_A}/spans/00000000000000ff`)).status).toBe(404);
    const bad = await api.get(`/api/skein/traces/${TRACE_A}/spans/xyz`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'span_id'");
  });

  it('refuses other methods', async () => {
    const r = await api.post(`/api/skein/traces/${TRACE_A}`, '{}');
    expect(r.status).toBe(405);
  });
});
