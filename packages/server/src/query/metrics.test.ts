/** Jaeger's Monitor API over real HTTP on a MemoryStore holding spans of known times and durations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span, SpanKind } from '@skein/model';
import type { TestApi } from './test-support/fixtures.js';
import { resource, span, startApi } from './test-support/fixtures.js';

const E_MS = 1_700_000_400_000; // endTs of every request, ms
const E = BigInt(E_MS) * 1_000_000n;
const S = 1_000_000_000n;
const MS = 1_000_000n;
let n = 0;

function at(service: string, name: string, startNs: bigint, durMs: number, kind: SpanKind = 2, error = false): Span {
  n++;
  return span({
    traceId: n.toString(16).padStart(32, '0'),
    spanId: n.toString(16).padStart(16, '0'),
    name,
    kind,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + BigInt(durMs) * MS,
    status: error ? { code: 2, message: 'boom' } : { code: 0, message: '' },
    resource: resource(service),
  });
}

// shop server spans: 6 in [E-170s, E-165s] (GET /a 10..40 ms with one error, GET /b 100 and 200 ms),
// one failing GET /a at exactly E-60s; 3 client spans; spans out of range and of another service.
const spans: Span[] = [
  ...[10, 20, 30, 40].map((d, i) => at('shop', 'GET /a', E - 170n * S + BigInt(i) * S, d, 2, i === 1)),
  ...[100, 200].map((d, i) => at('shop', 'GET /b', E - 166n * S + BigInt(i) * S, d)),
  at('shop', 'GET /a', E - 60n * S, 50, 2, true),
  ...[0, 1, 2].map((i) => at('shop', 'call db', E - 165n * S + BigInt(i) * S, 5, 3)),
  at('shop', 'GET /a', E - 1000n * S, 999),
  at('shop', 'GET /a', E + 1n * S, 999),
  at('other', 'work', E - 100n * S, 7),
];

let api: TestApi;
beforeAll(async () => {
  api = await startApi(spans);
});
afterAll(() => api.close());

const RANGE = `endTs=${E_MS}&lookback=300000&step=60000`;
const TIMES = [300, 240, 180, 120, 60, 0].map((s) => new Date(E_MS - s * 1000).toISOString().replace('.000Z', 'Z'));

const get = async (path: string) => {
  const r = await api.get(path);
  expect(r.status, r.text).toBe(200);
  return r.body;
};
/** The values of one series, NaN for "NaN". */
const vals = (m: any): number[] => m.metricPoints.map((p: any) => (p.gaugeValue.doubleValue === 'NaN' ? NaN : p.gaugeValue.doubleValue));
const byOp = (body: any, op: string) => body.metrics.find((m: any) => m.labels[1]?.value === op);

describe('Monitor API metrics from stored spans', () => {
  it('answers latency quantiles in ms per step, as a Jaeger MetricFamily', async () => {
    const body = await get(`/api/metrics/latencies?service=shop&quantile=0.5&${RANGE}&ratePer=600000&spanKind=server`);
    expect(body.name).toBe('service_latencies');
    expect(body.type).toBe('GAUGE');
    expect(body.help).toBe('0.50th quantile latency, grouped by service');
    expect(body.metrics).toHaveLength(1);
    expect(body.metrics[0].labels).toEqual([{ name: 'service_name', value: 'shop' }]);
    expect(body.metrics[0].metricPoints.map((p: any) => p.timestamp)).toEqual(TIMES);
    // [10,20,30,40,100,200] -> median 35; the span at exactly E-60s counts in the step ending at E
    expect(vals(body.metrics[0])).toEqual([NaN, NaN, NaN, 35, NaN, 50]);
    const max = await get(`/api/metrics/latencies?service=shop&quantile=1&${RANGE}`);
    expect(vals(max.metrics[0])[3]).toBe(200);
  });

  it('groups latencies by operation', async () => {
    const body = await get(`/api/metrics/latencies?service=shop&quantile=0.5&groupByOperation=true&${RANGE}`);
    expect(body.name).toBe('service_operation_latencies');
    expect(body.help).toBe('0.50th quantile latency, grouped by service & operation');
    expect(body.metrics.map((m: any) => m.labels)).toEqual([
      [{ name: 'service_name', value: 'shop' }, { name: 'operation', value: 'GET /a' }],
      [{ name: 'service_name', value: 'shop' }, { name: 'operation', value: 'GET /b' }],
    ]);
    expect(vals(byOp(body, 'GET /a'))).toEqual([NaN, NaN, NaN, 25, NaN, 50]);
    expect(vals(byOp(body, 'GET /b'))).toEqual([NaN, NaN, NaN, 150, NaN, NaN]);
  });

  it('answers call rates per second over ratePer windows', async () => {
    const body = await get(`/api/metrics/calls?service=shop&${RANGE}&ratePer=120000&quantile=0.95`);
    expect(body.name).toBe('service_call_rate');
    expect(body.help).toBe('calls/sec, grouped by service');
    // window [t-120s, t): 6 calls for t = E-120s and E-60s, the one at E-60s for t = E
    expect(vals(body.metrics[0])).toEqual([0, 0, 0, 6 / 120, 6 / 120, 1 / 120]);
    // a ratePer that is no multiple of the step: windows of 90 s
    const odd = await get(`/api/metrics/calls?service=shop&${RANGE}&ratePer=90000`);
    expect(vals(odd.metrics[0])).toEqual([0, 0, 0, 6 / 90, 0, 1 / 90]);
    const ops = await get(`/api/metrics/calls?service=shop&groupByOperation=true&${RANGE}&ratePer=120000`);
    expect(ops.name).toBe('service_operation_call_rate');
    expect(vals(byOp(ops, 'GET /a'))).toEqual([0, 0, 0, 4 / 120, 4 / 120, 1 / 120]);
    expect(vals(byOp(ops, 'GET /b'))).toEqual([0, 0, 0, 2 / 120, 2 / 120, 0]);
    // Skein's operation filter: only that operation's series (a service may have thousands)
    const one = await get(`/api/metrics/calls?service=shop&groupByOperation=true&operation=${encodeURIComponent('GET /b')}&${RANGE}&ratePer=120000`);
    expect(one.metrics.map((m: any) => m.labels[1].value)).toEqual(['GET /b']);
    expect(vals(one.metrics[0])).toEqual(vals(byOp(ops, 'GET /b')));
  });

  it('filters by span kind, server spans by default', async () => {
    const client = await get(`/api/metrics/calls?service=shop&${RANGE}&ratePer=120000&spanKind=client`);
    expect(vals(client.metrics[0])).toEqual([0, 0, 0, 3 / 120, 3 / 120, 0]);
    const both = await get(`/api/metrics/calls?service=shop&${RANGE}&ratePer=120000&spanKind=server&spanKind=CLIENT`);
    expect(vals(both.metrics[0])).toEqual([0, 0, 0, 9 / 120, 9 / 120, 1 / 120]);
    const none = await get(`/api/metrics/calls?service=shop&${RANGE}&spanKind=producer`);
    expect(none.metrics).toEqual([]);
  });

  it('answers error rates as errors over calls, NaN without calls', async () => {
    const body = await get(`/api/metrics/errors?service=shop&${RANGE}&ratePer=120000`);
    expect(body.name).toBe('service_error_rate');
    expect(body.help).toBe('error rate, computed as a fraction of errors/sec over calls/sec, grouped by service');
    expect(vals(body.metrics[0])).toEqual([NaN, NaN, NaN, 1 / 6, 1 / 6, 1]);
    const ops = await get(`/api/metrics/errors?service=shop&groupByOperation=true&${RANGE}&ratePer=120000`);
    expect(vals(byOp(ops, 'GET /a'))).toEqual([NaN, NaN, NaN, 1 / 4, 1 / 4, 1]);
    expect(vals(byOp(ops, 'GET /b'))).toEqual([NaN, NaN, NaN, 0, 0, NaN]);
  });

  it('answers one series per service, also as the Jaeger UI joins them', async () => {
    for (const q of ['service=shop&service=other', 'service=shop,service=other']) {
      const body = await get(`/api/metrics/calls?${q}&${RANGE}&ratePer=120000`);
      expect(body.metrics.map((m: any) => m.labels[0].value)).toEqual(['shop', 'other']);
      expect(vals(body.metrics[1])).toEqual([0, 0, 0, 0, 1 / 120, 1 / 120]);
    }
    expect((await get(`/api/metrics/calls?service=nobody&${RANGE}`)).metrics).toEqual([]);
  });

  it('answers minstep in the classic envelope', async () => {
    expect(await get('/api/metrics/minstep')).toEqual({ data: 1, total: 0, limit: 0, offset: 0, errors: null });
  });

  it('answers 400 naming the bad parameter', async () => {
    const cases: [string, string][] = [
      ['/api/metrics/calls', 'service'],
      ['/api/metrics/latencies?service=shop', 'quantile'],
      ['/api/metrics/latencies?service=shop&quantile=1.5', 'quantile'],
      ['/api/metrics/calls?service=shop&step=0', 'step'],
      ['/api/metrics/calls?service=shop&step=1m', 'step'],
      ['/api/metrics/calls?service=shop&lookback=86400000&step=1', 'step'],
      ['/api/metrics/calls?service=shop&lookback=-5', 'lookback'],
      ['/api/metrics/errors?service=shop&ratePer=0', 'ratePer'],
      ['/api/metrics/calls?service=shop&spanKind=bogus', 'spanKind'],
      ['/api/metrics/calls?service=shop&spanKind=', 'spanKind'],
      ['/api/metrics/calls?service=shop&groupByOperation=maybe', 'groupByOperation'],
      ['/api/metrics/calls?service=shop&endTs=now', 'endTs'],
    ];
    for (const [path, param] of cases) {
      const r = await api.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.errors[0].msg, path).toContain(`'${param}'`);
    }
  });
});
