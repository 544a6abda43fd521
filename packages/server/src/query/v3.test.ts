import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from './test-support/fixtures.js';
import { startApi } from './test-support/fixtures.js';
import { T0, TRACE_A, TRACE_B, TRACE_B16, TRACE_ORPHAN, datasetSpans } from './test-support/dataset.js';

let api: TestApi;
beforeAll(async () => {
  api = await startApi(datasetSpans());
});
afterAll(() => api.close());

const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();
const loadId = (i: number) => `d0000000000000000000000000000${String(i).padStart(3, '0')}`;

describe('v3 services and operations', () => {
  it('lists services and operations with lowercase kinds', async () => {
    const s = await api.get('/api/v3/services');
    expect(s.type).toMatch(/^application\/json/);
    expect(s.body).toEqual({ services: ['backend', 'frontend', 'load'] });
    const ops = await api.get('/api/v3/operations?service=frontend');
    expect(ops.body).toEqual({
      operations: [
        { name: 'GET /', spanKind: 'server' },
        { name: 'grandchild', spanKind: '' },
      ],
    });
    const client = await api.get('/api/v3/operations?service=backend&span_kind=client');
    expect(client.body).toEqual({ operations: [{ name: 'SELECT users', spanKind: 'client' }] });
  });

  it('answers errors in the grpc-gateway shape', async () => {
    const r = await api.get('/api/v3/operations?service=x&spanKind=nope');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { httpCode: 400, message: expect.stringContaining("'spanKind'") } });
  });
});

describe('v3 trace summaries', () => {
  it('summarises traces newest first with counts, roots and ns strings', async () => {
    const r = await api.get(
      `/api/v3/trace-summaries?query.serviceName=backend&query.startTimeMin=${iso(T0 - 3_600_000_000_000n)}&query.startTimeMax=${iso(T0 + 3_600_000_000_000n)}&query.searchDepth=20`,
    );
    expect(r.status).toBe(200);
    const s = r.body.summaries;
    expect(s.map((x: { traceId: string }) => x.traceId)).toEqual([TRACE_ORPHAN, TRACE_A, TRACE_B]);
    expect(s[1]).toEqual({
      traceId: TRACE_A,
      rootServiceName: 'frontend',
      rootOperationName: 'GET /',
      minStartTimeUnixNano: (T0 + 1_999n).toString(),
      maxEndTimeUnixNano: (T0 + 5_000_999n).toString(),
      spanCount: 2,
      errorSpanCount: 1,
      orphanSpanCount: 0,
      services: [
        { name: 'backend', spanCount: 1, errorSpanCount: 1 },
        { name: 'frontend', spanCount: 1, errorSpanCount: 0 },
      ],
    });
    // The root never arrived: one orphan, and the earliest orphan names the trace.
    expect(s[0]).toMatchObject({ orphanSpanCount: 1, rootOperationName: 'late child', spanCount: 2 });
    for (const x of s) expect(x.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('takes camelCase and snake_case keys, typed durations, attributes and the search depth', async () => {
    const n = async (query: string) => (await api.get(`/api/v3/trace-summaries?${query}`)).body.summaries.length;
    expect(await n('query.serviceName=load&query.searchDepth=3')).toBe(3);
    expect(await n('query.service_name=load&query.num_traces=4')).toBe(4);
    expect(await n('query.service_name=load&query.search_depth=5')).toBe(5);
    expect(await n('query.serviceName=load&query.operationName=odd')).toBe(15);
    expect(await n('query.serviceName=load&query.operation_name=odd&query.duration_min=20ms')).toBe(5);
    expect(await n('query.serviceName=load&query.durationMin=0.02s&query.durationMax=25ms')).toBe(6);
    expect(await n(`query.serviceName=load&query.attributes=${encodeURIComponent('{"n":"3"}')}`)).toBe(1);
    const newest = (await api.get(`/api/v3/trace-summaries?query.serviceName=load&query.startTimeMax=${iso(T0 + 10_000_000_000n)}&query.searchDepth=2`)).body;
    expect(newest.summaries.map((x: { traceId: string }) => x.traceId)).toEqual([loadId(10), loadId(9)]);
  });

  it('fails a search with 400 naming a malformed parameter', async () => {
    const cases: [string, string][] = [
      ['query.startTimeMin=yesterday', 'query.startTimeMin'],
      ['query.start_time_max=2024-13-01', 'query.start_time_max'],
      ['query.durationMin=100', 'query.durationMin'],
      ['query.searchDepth=lots', 'query.searchDepth'],
      ['query.attributes=%7Bbad', 'query.attributes'],
      [`query.startTimeMin=${iso(T0)}&query.startTimeMax=${iso(T0 - 1_000_000_000n)}`, 'query.startTimeMin'],
    ];
    for (const [query, name] of cases) {
      const r = await api.get(`/api/v3/trace-summaries?query.serviceName=load&${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error.httpCode).toBe(400);
      expect(r.body.error.message, query).toContain(`'${name}'`);
    }
  });
});

describe('v3 traces (OTLP/JSON)', () => {
  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    const nf = await api.get('/api/v3/traces/' + 'e'.repeat(32));
    expect(nf.status).toBe(404);
    expect(nf.body.error).toEqual({ httpCode: 404, message: expect.stringContaining('trace not found') });
    const bad = await api.get('/api/v3/traces/12345z');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'trace_id'");
  });

  it('returns a stored trace as {result: TracesData}, 16-hex ids included', async () => {
    const r = await api.get(`/api/v3/traces/${TRACE_B16}`);
    expect(r.status).toBe(200);
    const spans = r.body.result.resourceSpans.flatMap((rs: { scopeSpans: { spans: unknown[] }[] }) =>
      rs.scopeSpans.flatMap((ss) => ss.spans),
    );
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ traceId: TRACE_B, spanId: '00000000000000b1', name: 'batch', kind: 5 });
    expect(String(spans[0].startTimeUnixNano)).toBe((T0 - 60_000_000_000n).toString());
  });

  it('keeps in OTLP what the Jaeger model loses: typed values, link attributes, trace state', async () => {
    const r = await api.get(`/api/v3/traces/${TRACE_A}`);
    expect(r.status).toBe(200);
    const spans = r.body.result.resourceSpans.flatMap((rs: { scopeSpans: { spans: { spanId: string }[] }[] }) =>
      rs.scopeSpans.flatMap((ss) => ss.spans),
    );
    const root = spans.find((x: { spanId: string }) => x.spanId === '000000000000000a');
    const child = spans.find((x: { spanId: string }) => x.spanId === '000000000000000b');
    expect(root.attributes).toContainEqual({ key: 'http.status_code', value: { intValue: '200' } });
    expect(root.attributes).toContainEqual({ key: 'big', value: { intValue: '9007199254740993' } });
    expect(root.traceState).toBe('vendor=1');
    expect(root.startTimeUnixNano).toBe((T0 + 1_999n).toString());
    expect(child.links[0]).toMatchObject({ traceId: TRACE_B, attributes: [{ key: 'why', value: { stringValue: 'batch' } }] });
    expect(child.status).toEqual({ code: 2, message: 'deadlock' });
  });

  it('searches with query.* parameters and answers 404 when nothing matches', async () => {
    const none = await api.get('/api/v3/traces?query.serviceName=nobody');
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe('No traces found');
    const r = await api.get('/api/v3/traces?query.serviceName=load&query.searchDepth=2');
    expect(r.status).toBe(200);
    expect(r.body.result.resourceSpans.length).toBeGreaterThan(0);
  });
});
