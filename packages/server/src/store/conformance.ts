/**
 * The shared Store conformance suite: every store (memory, duckdb, clickhouse) runs these tests,
 * so they all honour the contract in store.ts and the search rules in match.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValue, Resource, Scope, Span } from '@skein/model';
import { testResource, testScope, testSpan } from '../../../model/src/test-support/spans.js';
import type { Store } from './store.js';

const T0 = 1_700_000_000_123_456_789n;
const MS = 1_000_000n;

export const resourceOf = (service: string, extra: KeyValue[] = []): Resource => testResource(service, extra);

const scope: Scope = testScope('skein-test', '1.0.0');

/** A minimal valid span; tests override what they exercise. */
export function makeSpan(over: Partial<Span> & { traceId: string; spanId: string }): Span {
  return testSpan({ flags: 0, kind: 1, startTimeUnixNano: T0, endTimeUnixNano: T0 + MS, resource: resourceOf('svc'), scope, ...over });
}

export const tid = (n: number): string => n.toString(16).padStart(32, '0');
export const sid = (n: number): string => n.toString(16).padStart(16, '0');
const bySpanId = (a: Span, b: Span): number => a.spanId.localeCompare(b.spanId) || Number(a.endTimeUnixNano - b.endTimeUnixNano);

/** Every Span field set, every attribute type, odd nanoseconds. */
export function richTrace(): Span[] {
  const res = resourceOf('frontend', [
    { key: 'host.name', value: 'node-1' },
    { key: 'process.pid', value: 4242n },
  ]);
  res.droppedAttributesCount = 2;
  res.schemaUrl = 'https://opentelemetry.io/schemas/1.21.0';
  const sc: Scope = { name: 'lib', version: '2.1', attributes: [{ key: 'scope.attr', value: true }], droppedAttributesCount: 1, schemaUrl: 'https://s' };
  const attrs: KeyValue[] = [
    { key: 'str', value: 'hello \x1e\x1f\x1d "world" ✓' },
    { key: 'bool', value: false },
    { key: 'int', value: -9223372036854775808n },
    { key: 'int.max', value: 9223372036854775807n },
    { key: 'double', value: 3.141592653589793 },
    { key: 'double.neg0', value: -0 },
    { key: 'double.nan', value: NaN },
    { key: 'double.inf', value: -Infinity },
    { key: 'bytes', value: new Uint8Array([0, 1, 2, 254, 255]) },
    { key: 'empty', value: null },
    { key: 'array', value: ['a', 1n, 2.5, true, null, new Uint8Array([9]), [1n, 'x']] },
    { key: 'kvlist', value: { kvlist: [{ key: 'inner', value: 7n }, { key: 'nested', value: { kvlist: [{ key: 'd', value: 0.1 }] } }] } },
    { key: 'dup', value: 'first' },
    { key: 'dup', value: 'second' },
    { key: '', value: '' },
    { key: 'nul\0key', value: 'a\0b' },
  ];
  const root = makeSpan({
    traceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    spanId: '0102030405060708',
    traceState: 'vendor=x,other=y',
    flags: 0x301,
    name: 'GET /api/items',
    kind: 2,
    startTimeUnixNano: T0 + 1n,
    endTimeUnixNano: T0 + 987_654_321n,
    attributes: attrs,
    droppedAttributesCount: 3,
    events: [
      { timeUnixNano: T0 + 5n, name: 'exception', attributes: [{ key: 'exception.message', value: 'boom' }, { key: 'n', value: 1n }], droppedAttributesCount: 1 },
      { timeUnixNano: T0 + 6n, name: 'plain', attributes: [], droppedAttributesCount: 0 },
    ],
    droppedEventsCount: 4,
    links: [{ traceId: 'ffffffffffffffffffffffffffffffff', spanId: 'ffffffffffffffff', traceState: 'k=v', attributes: [{ key: 'l', value: 2.5 }], droppedAttributesCount: 1, flags: 1 }],
    droppedLinksCount: 5,
    status: { code: 2, message: 'it broke' },
    resource: res,
    scope: sc,
  });
  const child = makeSpan({
    traceId: root.traceId,
    spanId: 'f0e0d0c0b0a09080',
    parentSpanId: root.spanId,
    name: 'SELECT items',
    kind: 3,
    startTimeUnixNano: T0 + 1000n,
    endTimeUnixNano: T0 + 1000n,
    resource: resourceOf('db'),
    status: { code: 1, message: '' },
  });
  return [root, child];
}

/** A three-service trace: api (server) -> worker (client/server) -> storage, newest by `n`. */
function callTrace(n: number, opts: { error?: boolean; durMs?: number } = {}): Span[] {
  const start = T0 + BigInt(n) * 1000n * MS;
  const dur = BigInt(opts.durMs ?? 10) * MS;
  const api = resourceOf('api', [{ key: 'deployment.environment', value: n % 2 ? 'prod' : 'staging' }]);
  const t = tid(n + 1);
  return [
    makeSpan({ traceId: t, spanId: sid(1), name: 'GET /items', kind: 2, startTimeUnixNano: start, endTimeUnixNano: start + dur, resource: api, attributes: [{ key: 'http.status_code', value: 200n }] }),
    makeSpan({ traceId: t, spanId: sid(2), parentSpanId: sid(1), name: 'fetch', kind: 3, startTimeUnixNano: start + MS, endTimeUnixNano: start + 2n * MS, resource: resourceOf('worker'), attributes: [{ key: 'retry', value: n % 3 === 0 }] }),
    makeSpan({
      traceId: t,
      spanId: sid(3),
      parentSpanId: sid(2),
      name: 'read',
      kind: 2,
      startTimeUnixNano: start + 2n * MS,
      endTimeUnixNano: start + 3n * MS,
      resource: resourceOf('storage'),
      status: opts.error ? { code: 2, message: 'disk' } : { code: 0, message: '' },
      attributes: [{ key: 'db.system', value: 'rocks' }, { key: 'bytes', value: BigInt(n * 100) }],
    }),
  ];
}

export interface ConformanceOptions {
  /** The store implements the optional getRedMetrics. */
  red?: boolean;
}

export function storeConformance(name: string, open: () => Promise<Store>, opts: ConformanceOptions = {}): void {
  describe(`${name}: Store conformance`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('round-trips every span field exactly', async () => {
      const spans = richTrace();
      await store.write(spans);
      const got = (await store.getTrace(spans[0]!.traceId)).sort(bySpanId);
      expect(got).toEqual([...spans].sort(bySpanId));
      expect(Object.is(got.find((s) => s.spanId === spans[0]!.spanId)!.attributes[5]!.value, -0)).toBe(true);
      expect(await store.getTrace(tid(12345))).toEqual([]);
      expect(await store.getTrace('not-an-id')).toEqual([]);
    });

    it('stores exact duplicates once, but keeps a changed span', async () => {
      const spans = callTrace(1);
      await store.write(spans);
      await Promise.all([store.write(spans), store.write([...spans, ...spans])]);
      expect(await store.getTrace(spans[0]!.traceId)).toHaveLength(3);
      expect((await store.stats()).spans).toBe(3);
      await store.write([{ ...spans[0]!, name: 'GET /items (retried)' }]);
      expect(await store.getTrace(spans[0]!.traceId)).toHaveLength(4);
    });

    it('lists services and operations with lowercase span kinds', async () => {
      await store.write([...callTrace(1), ...callTrace(2), makeSpan({ traceId: tid(99), spanId: sid(9), name: 'unspecified', kind: 0, resource: resourceOf('api') })]);
      expect(await store.getServices()).toEqual(['api', 'storage', 'worker']);
      expect(await store.getOperations('api')).toEqual([
        { name: 'GET /items', spanKind: 'server' },
        { name: 'unspecified', spanKind: '' },
      ]);
      expect(await store.getOperations('worker', 'client')).toEqual([{ name: 'fetch', spanKind: 'client' }]);
      expect(await store.getOperations('worker', 'server')).toEqual([]);
      expect(await store.getOperations('nope')).toEqual([]);
    });

    it('finds traces by service, operation, kind, attributes, duration and time, newest first', async () => {
      for (let n = 0; n < 10; n++) await store.write(callTrace(n, { error: n === 4 || n === 7, durMs: 10 + n * 10 }));
      const ids = (...ns: number[]): string[] => ns.map((n) => tid(n + 1));
      const find = (q: Partial<Parameters<Store['findTraceIds']>[0]>): Promise<string[]> => store.findTraceIds({ limit: 100, ...q });
      expect(await find({ service: 'api' })).toEqual(ids(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
      expect(await find({ service: 'api', limit: 3 })).toEqual(ids(9, 8, 7));
      expect(await find({ service: 'worker', operation: 'fetch', spanKind: 'client' })).toHaveLength(10);
      expect(await find({ service: 'worker', operation: 'fetch', spanKind: 'server' })).toEqual([]);
      expect(await find({ service: 'storage', attributes: { error: 'true' } })).toEqual(ids(7, 4));
      expect(await find({ attributes: { 'otel.status_code': 'ERROR' } })).toEqual(ids(7, 4));
      expect(await find({ service: 'storage', attributes: { error: 'false' } })).toHaveLength(8);
      expect(await find({ attributes: { 'http.status_code': '200' } })).toHaveLength(10);
      expect(await find({ attributes: { retry: 'true' } })).toEqual(ids(9, 6, 3, 0));
      expect(await find({ attributes: { bytes: '500', 'db.system': 'rocks' } })).toEqual(ids(5));
      expect(await find({ attributes: { 'deployment.environment': 'prod' } })).toEqual(ids(9, 7, 5, 3, 1));
      expect(await find({ attributes: { 'deployment.environment': 'prod', 'span.kind': 'server' }, operation: 'GET /items' })).toEqual(ids(9, 7, 5, 3, 1));
      // all conditions hold on one span: api has no db.system attribute
      expect(await find({ service: 'api', attributes: { 'db.system': 'rocks' } })).toEqual([]);
      expect(await find({ attributes: { 'db.system': 'rock' } })).toEqual([]);
      expect(await find({ service: 'api', durationMinNs: 50n * MS })).toEqual(ids(9, 8, 7, 6, 5, 4));
      expect(await find({ service: 'api', durationMinNs: 30n * MS, durationMaxNs: 50n * MS })).toEqual(ids(4, 3, 2));
      const at = (n: number): bigint => T0 + BigInt(n) * 1000n * MS;
      expect(await find({ service: 'api', startTimeMinNs: at(3), startTimeMaxNs: at(5) })).toEqual(ids(5, 4, 3));
      expect(await find({ service: 'storage', startTimeMinNs: at(3), startTimeMaxNs: at(5), limit: 1 })).toEqual(ids(4));
      expect(await find({ service: 'nope' })).toEqual([]);
    });

    it('orders by the newest matching span and breaks ties by trace id', async () => {
      await store.write([
        makeSpan({ traceId: tid(3), spanId: sid(1), startTimeUnixNano: T0, endTimeUnixNano: T0 + 1n }),
        makeSpan({ traceId: tid(2), spanId: sid(1), startTimeUnixNano: T0, endTimeUnixNano: T0 + 1n }),
        makeSpan({ traceId: tid(1), spanId: sid(1), startTimeUnixNano: T0 - 5n, endTimeUnixNano: T0 }),
        makeSpan({ traceId: tid(1), spanId: sid(2), name: 'late', startTimeUnixNano: T0 + 5n, endTimeUnixNano: T0 + 6n }),
      ]);
      expect(await store.findTraceIds({ limit: 10 })).toEqual([tid(1), tid(2), tid(3)]);
      expect(await store.findTraceIds({ operation: 'op', limit: 10 })).toEqual([tid(2), tid(3), tid(1)]);
    });

    it('computes service dependencies in a time window', async () => {
      for (let n = 0; n < 4; n++) await store.write(callTrace(n, { error: n === 2 }));
      const sort = (l: Awaited<ReturnType<Store['getDependencies']>>) => [...l].sort((a, b) => a.parent.localeCompare(b.parent));
      expect(sort(await store.getDependencies(0n, T0 * 2n))).toEqual([
        { parent: 'api', child: 'worker', callCount: 4, errorCount: 0 },
        { parent: 'worker', child: 'storage', callCount: 4, errorCount: 1 },
      ]);
      const window = sort(await store.getDependencies(T0 + 2000n * MS, T0 * 2n));
      expect(window).toEqual([
        { parent: 'api', child: 'worker', callCount: 2, errorCount: 0 },
        { parent: 'worker', child: 'storage', callCount: 2, errorCount: 1 },
      ]);
    });

    it('purges spans older than a cutoff and counts what is left', async () => {
      for (let n = 0; n < 5; n++) await store.write(callTrace(n));
      expect((await store.stats()).spans).toBe(15);
      const purged = await store.purgeBefore(T0 + 2000n * MS);
      expect(purged).toBe(6);
      expect((await store.stats()).spans).toBe(9);
      expect(await store.getTrace(tid(1))).toEqual([]);
      expect(await store.getTrace(tid(3))).toHaveLength(3);
      expect(await store.findTraceIds({ service: 'api', limit: 10 })).toEqual([tid(5), tid(4), tid(3)]);
      // a purged span can be written again
      await store.write(callTrace(0));
      expect(await store.getTrace(tid(1))).toHaveLength(3);
    });

    if (opts.red) {
      it('aggregates RED metrics per bucket and operation', async () => {
        // api GET /items durations 10, 20, ..., 100 ms, one trace per second; traces 4 and 7 fail
        for (let n = 0; n < 10; n++) {
          const spans = callTrace(n, { error: n === 4 || n === 7, durMs: 10 + n * 10 });
          spans[0]!.status = spans[2]!.status;
          await store.write(spans);
        }
        const red = store.getRedMetrics!.bind(store);
        const S = 1000n * MS;
        const all = await red({ service: 'api', startNs: T0, endNs: T0 + 10n * S, stepNs: 5n * S, quantiles: [0.5, 1] });
        expect(all).toEqual([
          { operation: '', bucketStartNs: T0, calls: 5, errors: 1, latencyNs: [30e6, 50e6] },
          { operation: '', bucketStartNs: T0 + 5n * S, calls: 5, errors: 1, latencyNs: [80e6, 100e6] },
        ]);
        const worker = await red({ service: 'worker', spanKinds: ['client'], startNs: T0, endNs: T0 + 10n * S, stepNs: 10n * S, groupByOperation: true });
        expect(worker).toEqual([{ operation: 'fetch', bucketStartNs: T0, calls: 10, errors: 0, latencyNs: [] }]);
        expect(await red({ service: 'worker', spanKinds: ['server'], startNs: T0, endNs: T0 + 10n * S, stepNs: S })).toEqual([]);
        // one bucket per trace: every bucket is reported once, in order (a store may split the work)
        const perSecond = await red({ service: 'api', startNs: T0, endNs: T0 + 10n * S, stepNs: S, groupByOperation: true, quantiles: [1] });
        expect(perSecond).toEqual(
          Array.from({ length: 10 }, (_, n) => ({ operation: 'GET /items', bucketStartNs: T0 + BigInt(n) * S, calls: 1, errors: n === 4 || n === 7 ? 1 : 0, latencyNs: [(10 + n * 10) * 1e6] })),
        );
        const q4 = await red({ service: 'api', startNs: T0, endNs: T0 + 3n * S, stepNs: 10n * S, quantiles: [0.5] });
        expect(q4).toEqual([{ operation: '', bucketStartNs: T0, calls: 4, errors: 0, latencyNs: [25e6] }]);
      });
    }
  });
}
