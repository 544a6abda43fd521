import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from './test-support/fixtures.js';
import { startApi } from './test-support/fixtures.js';
import { T0, TRACE_A, TRACE_B, TRACE_B16, TRACE_ORPHAN, datasetSpans } from './test-support/dataset.js';

let api: TestApi;
beforeAll(async () => {
  api = await startApi(datasetSpans(), { maxLimit: 25 });
});
afterAll(() => api.close());

const T0_US = Number(T0 / 1000n);

describe('classic services and operations', () => {
  it('lists services in the envelope with a JSON content type', async () => {
    const r = await api.get('/api/services');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body).toEqual({ data: ['backend', 'frontend', 'load'], total: 3, limit: 0, offset: 0, errors: null });
  });

  it('lists operation names of a service, URL-decoded', async () => {
    const r = await api.get('/api/services/load/operations');
    expect(r.body.data).toEqual(['even', 'odd']);
    expect(r.body.total).toBe(2);
  });

  it('lists operations with kinds and filters by span kind', async () => {
    const all = await api.get('/api/operations?service=backend');
    expect(all.body.data).toEqual(
      expect.arrayContaining([
        { name: 'SELECT users', spanKind: 'client' },
        { name: 'batch', spanKind: 'consumer' },
        { name: 'late child', spanKind: 'internal' },
      ]),
    );
    const server = await api.get('/api/operations?service=frontend&spanKind=server');
    expect(server.body.data).toEqual([{ name: 'GET /', spanKind: 'server' }]);
  });

  it('answers 400 naming a missing service or an unknown span kind', async () => {
    const r = await api.get('/api/operations');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ data: null, total: 0, limit: 0, offset: 0 });
    expect(r.body.errors[0].code).toBe(400);
    expect(r.body.errors[0].msg).toContain("'service'");
    const k = await api.get('/api/operations?service=load&spanKind=sideways');
    expect(k.status).toBe(400);
    expect(k.body.errors[0].msg).toContain("'spanKind'");
  });
});

describe('classic trace by id', () => {
  it('returns the Jaeger JSON model with typed tags, logs, references and processes', async () => {
    const r = await api.get(`/api/traces/${TRACE_A}`);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeNull();
    const [trace] = r.body.data;
    expect(trace.traceID).toBe(TRACE_A);
    expect(trace.spans).toHaveLength(2);
    const root = trace.spans.find((s: { spanID: string }) => s.spanID === '000000000000000a');
    const child = trace.spans.find((s: { spanID: string }) => s.spanID === '000000000000000b');
    expect(root.startTime).toBe(T0_US + 1); // 1999 ns truncate to 1 µs
    expect(root.duration).toBe(4_999); // (5_000_999 - 1_999) ns = 4999 µs
    expect(root.operationName).toBe('GET /');
    expect(root.references).toEqual([]);
    expect(root.flags).toBe(1);
    const tag = (s: { tags: { key: string }[] }, key: string) => s.tags.find((t) => t.key === key);
    expect(tag(root, 'http.method')).toEqual({ key: 'http.method', type: 'string', value: 'GET' });
    expect(tag(root, 'http.status_code')).toEqual({ key: 'http.status_code', type: 'int64', value: 200 });
    expect(tag(root, 'ratio')).toEqual({ key: 'ratio', type: 'float64', value: 0.25 });
    expect(tag(root, 'cached')).toEqual({ key: 'cached', type: 'bool', value: false });
    expect(tag(root, 'blob')).toEqual({ key: 'blob', type: 'binary', value: 'AQID' });
    expect(tag(root, 'list')).toEqual({ key: 'list', type: 'string', value: '["x",1,true]' });
    expect(tag(root, 'map')).toEqual({ key: 'map', type: 'string', value: '{"k":"v"}' });
    expect(tag(root, 'span.kind')).toMatchObject({ type: 'string', value: 'server' });
    expect(tag(root, 'otel.status_code')).toMatchObject({ value: 'OK' });
    expect(tag(root, 'otel.scope.name')).toMatchObject({ value: 'http-lib' });
    expect(tag(root, 'otel.scope.version')).toMatchObject({ value: '2.0.0' });
    expect(tag(root, 'error')).toBeUndefined();
    // An int64 beyond 2^53 keeps every digit in the JSON text.
    expect(r.text).toContain('"value":9007199254740993');
    expect(root.logs).toEqual([
      {
        timestamp: T0_US + 2_500,
        fields: [
          { key: 'event', type: 'string', value: 'cache miss' },
          { key: 'key', type: 'string', value: 'user:1' },
        ],
      },
    ]);
    expect(child.references).toEqual([
      { refType: 'CHILD_OF', traceID: TRACE_A, spanID: '000000000000000a' },
      { refType: 'FOLLOWS_FROM', traceID: TRACE_B, spanID: '00000000000000b1' },
    ]);
    expect(tag(child, 'error')).toEqual({ key: 'error', type: 'bool', value: true });
    expect(tag(child, 'otel.status_code')).toMatchObject({ value: 'ERROR' });
    expect(tag(child, 'otel.status_description')).toMatchObject({ value: 'deadlock' });
    expect(trace.processes[root.processID]).toEqual({
      serviceName: 'frontend',
      tags: [
        { key: 'host.name', type: 'string', value: 'web-1' },
        { key: 'pid', type: 'int64', value: 42 },
      ],
    });
    expect(trace.processes[child.processID]).toEqual({ serviceName: 'backend', tags: [] });
    expect(Object.keys(trace.processes).sort()).toEqual(['p1', 'p2']);
  });

  it('finds a 64-bit trace by its 16 hex digits and by the padded 32', async () => {
    for (const id of [TRACE_B16, TRACE_B, TRACE_B16.toUpperCase()]) {
      const r = await api.get(`/api/traces/${id}?prettyPrint=true&raw=true`);
      expect(r.status).toBe(200);
      expect(r.body.data[0].traceID).toBe(TRACE_B);
    }
    expect((await api.get(`/api/traces/${TRACE_B16}?prettyPrint=true`)).text).toContain('\n    "data"');
  });

  it('keeps a reference to a parent that never arrived, and omits span.kind for unspecified', async () => {
    const [trace] = (await api.get(`/api/traces/${TRACE_ORPHAN}`)).body.data;
    const [first, second] = trace.spans;
    expect(first.references).toEqual([{ refType: 'CHILD_OF', traceID: TRACE_ORPHAN, spanID: '00000000000000ff' }]);
    expect(first.tags).toContainEqual({ key: 'span.kind', type: 'string', value: 'internal' });
    expect(second.tags.find((t: { key: string }) => t.key === 'span.kind')).toBeUndefined();
  });

  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    const nf = await api.get('/api/traces/' + 'e'.repeat(32));
    expect(nf.status).toBe(404);
    expect(nf.body.errors[0]).toEqual({ code: 404, msg: expect.stringContaining('trace not found') });
    const bad = await api.get('/api/traces/not-hex');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].msg).toContain("'traceID'");
    expect(bad.body.errors[0].msg).toContain('not-hex');
  });
});

describe('classic search', () => {
  it('returns newest traces first with the limit applied after sorting', async () => {
    const r = await api.get('/api/traces?service=load&limit=5&lookback=custom&minDuration=&maxDuration=');
    expect(r.status).toBe(200);
    const ids = r.body.data.map((t: { traceID: string }) => t.traceID);
    expect(ids).toEqual([29, 28, 27, 26, 25].map((i) => `d0000000000000000000000000000${String(i).padStart(3, '0')}`));
    expect(r.body.total).toBe(5);
  });

  it('defaults the limit to 20 and caps it at maxLimit', async () => {
    expect((await api.get('/api/traces?service=load')).body.data).toHaveLength(20);
    expect((await api.get('/api/traces?service=load&limit=1000')).body.data).toHaveLength(25);
  });

  it('filters by operation, durations, start/end in µs and tags (JSON and tag=k:v)', async () => {
    const q = async (s: string) => (await api.get(`/api/traces?service=load&limit=100&${s}`)).body.data.length;
    expect(await q('operation=odd')).toBe(15);
    expect(await q('minDuration=10ms&maxDuration=19.5ms')).toBe(10);
    expect(await q(`start=${T0_US + 5_000_000}&end=${T0_US + 9_000_000}`)).toBe(5);
    expect(await q(`tags=${encodeURIComponent('{"n":"7"}')}`)).toBe(1);
    expect(await q('tag=n:7')).toBe(1);
    expect(await q('tag=n:7&tag=span.kind:client')).toBe(0);
  });

  it('returns every span of each trace that matched on one span', async () => {
    const r = await api.get('/api/traces?service=backend&operation=SELECT%20users');
    expect(r.body.data).toHaveLength(1);
    expect(r.body.data[0].spans).toHaveLength(2);
  });

  it('fetches traces by repeated traceID, reporting the missing ones', async () => {
    const missing = 'f'.repeat(32);
    const r = await api.get(`/api/traces?traceID=${TRACE_A}&traceID=${TRACE_B16}&traceID=${missing}`);
    expect(r.status).toBe(200);
    expect(r.body.data.map((t: { traceID: string }) => t.traceID)).toEqual([TRACE_A, TRACE_B]);
    expect(r.body.errors).toEqual([{ code: 404, msg: `trace not found: ${missing}`, traceID: missing }]);
  });

  it('answers 400 naming the parameter for malformed values', async () => {
    const cases: [string, string][] = [
      ['minDuration=fast', 'minDuration'],
      ['maxDuration=10', 'maxDuration'],
      ['minDuration=2s&maxDuration=1s', 'maxDuration'],
      ['start=yesterday', 'start'],
      ['limit=-1', 'limit'],
      ['lookback=soon', 'lookback'],
      ['tags=notjson', 'tags'],
      ['tag=novalue', 'tag'],
      ['traceID=xyz', 'traceID'],
    ];
    for (const [query, name] of cases) {
      const r = await api.get(`/api/traces?service=load&${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.errors[0].msg, query).toContain(`'${name}'`);
    }
  });
});

describe('classic dependencies, metrics, routing', () => {
  it('derives service dependencies in the window', async () => {
    const end = Number((T0 + 120_000_000_000n) / 1_000_000n);
    const r = await api.get(`/api/dependencies?endTs=${end}&lookback=600000`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual(
      expect.arrayContaining([
        // the backend's span failed ("deadlock"): an error on that call
        { parent: 'frontend', child: 'backend', callCount: 1, errorCount: 1 },
        { parent: 'backend', child: 'frontend', callCount: 1, errorCount: 0 },
      ]),
    );
    expect(r.body.data).toHaveLength(2);
    const none = await api.get(`/api/dependencies?endTs=${Number(T0 / 1_000_000n) - 3_600_000}&lookback=1000`);
    expect(none.body.data).toEqual([]);
    expect((await api.get('/api/dependencies?endTs=now')).status).toBe(400);
  });

  it('answers metrics as a MetricFamily (empty for a window without spans) and validates parameters', async () => {
    const r = await api.get('/api/metrics/latencies?service=frontend&quantile=0.95&endTs=1&lookback=3600000&step=60000&ratePer=600000&spanKind=server');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: 'service_latencies', type: 'GAUGE', help: expect.any(String), metrics: [] });
    const calls = await api.get('/api/metrics/calls?service=frontend&groupByOperation=true');
    expect(calls.body.name).toBe('service_operation_call_rate');
    expect((await api.get('/api/metrics/errors')).status).toBe(400);
    expect((await api.get('/api/metrics/latencies?service=x')).body.errors[0].msg).toContain("'quantile'");
  });

  it('leaves foreign paths to the server and answers 405 for a wrong method', async () => {
    expect((await api.get('/')).text).toBe('not the query API');
    expect((await api.get('/api/unknown')).text).toBe('not the query API');
    const r = await api.post('/api/services', '');
    expect(r.status).toBe(405);
    expect(r.body.errors[0].code).toBe(405);
  });
});
