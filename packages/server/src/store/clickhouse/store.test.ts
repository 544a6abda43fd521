/**
 * ClickHouseStore beyond the shared suite, on a real server: data survives reopening, versions,
 * batched INSERTs, hostile names in every searchable field, day-aligned retention that only drops
 * partitions, reads pruned to key ranges (system.query_log), and errors that name the server
 * without its password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceName } from '@skein/model';
import { makeSpan, resourceOf, richTrace, sid, tid } from '../conformance.js';
import { Retention } from '../retention.js';
import { ClickHouseStore, SchemaVersionError } from './index.js';
import { MemoryStore } from '../memory/index.js';
import type { TraceQuery } from '../store.js';
import { ClickHouseConnection, parseClickHouseUrl } from './connection.js';
import { RowBinaryReader, RowBinaryWriter } from './row-binary.js';
import { SpanRowEncoder } from './rows.js';
import { INDEX_COLUMNS, SPAN_COLUMNS } from './schema.js';
import { indexRowsFor, writeIndexRows } from './trace-index.js';
import { clickHouseBinary, LOGGED_USER, startClickHouse, TEST_PASSWORD, type TestClickHouse } from './test-support/clickhouse-server.js';

const DAY = 86_400_000_000_000n;
const HOUR = 3_600_000_000_000n;
const D0 = 19_700n * DAY; // a UTC midnight

let server: TestClickHouse;
beforeAll(async () => {
  server = await startClickHouse();
});
afterAll(async () => {
  await server?.stop();
});

async function rawCount(db: string, sql: string): Promise<number> {
  const conn = new ClickHouseConnection(parseClickHouseUrl(server.url(db)));
  try {
    return Number(new RowBinaryReader(await conn.query(`${sql} FORMAT RowBinary`)).uint64());
  } finally {
    await conn.close();
  }
}

describe('ClickHouseStore', () => {
  it('keeps its spans across close and reopen, and refuses a newer schema', async () => {
    const url = server.url('reopen');
    const spans = richTrace();
    const first = await ClickHouseStore.open({ url });
    await first.write(spans);
    await first.close();
    await expect(first.write(spans)).rejects.toThrow(/closed/);
    const again = await ClickHouseStore.open({ url });
    expect((await again.getTrace(spans[0]!.traceId)).length).toBe(2);
    expect(await again.getTrace(spans[0]!.traceId)).toEqual(expect.arrayContaining(spans));
    await again.write(spans); // duplicates of spans stored by the earlier process
    expect((await again.stats()).spans).toBe(2);
    expect((await again.stats()).bytes).toBeGreaterThan(0);
    await again.close();
    expect(await rawCount('reopen', "SELECT count() FROM reopen.meta WHERE key = 'schema_version'")).toBe(1);

    const conn = new ClickHouseConnection(parseClickHouseUrl(url));
    await conn.command("INSERT INTO reopen.meta (key, value) VALUES ('schema_version', '99')");
    await conn.close();
    await expect(ClickHouseStore.open({ url })).rejects.toThrow(SchemaVersionError);
  });

  it('splits a large write into several INSERTs and keeps every span', async () => {
    const store = await ClickHouseStore.open({ url: server.url('batches'), insertBatch: 250 });
    const spans = Array.from({ length: 1000 }, (_, i) => makeSpan({ traceId: tid(1 + (i % 40)), spanId: sid(i + 1), name: `op-${i % 7}` }));
    await store.write(spans);
    expect(store.inserts).toBe(4);
    expect((await store.stats()).spans).toBe(1000);
    expect(await store.getTrace(tid(3))).toHaveLength(25);
    await store.close();
  });

  it('finds hostile service names, operations and attributes exactly', async () => {
    const store = await ClickHouseStore.open({ url: server.url('hostile') });
    const svc = "it's a \\ \"svc\"\n\0 ✓ '; DROP TABLE spans; --";
    const key = "k'\\\0";
    const value = "v\\'\n😀";
    await store.write([
      makeSpan({ traceId: tid(1), spanId: sid(1), name: "op'\\", resource: resourceOf(svc), attributes: [{ key, value }] }),
      makeSpan({ traceId: tid(2), spanId: sid(1), name: 'op', resource: resourceOf('plain'), attributes: [{ key, value: 'v' }] }),
    ]);
    expect(await store.getServices()).toEqual([svc, 'plain'].sort());
    expect(await store.getOperations(svc)).toEqual([{ name: "op'\\", spanKind: 'internal' }]);
    expect(await store.findTraceIds({ service: svc, operation: "op'\\", limit: 10 })).toEqual([tid(1)]);
    expect(await store.findTraceIds({ attributes: { [key]: value }, limit: 10 })).toEqual([tid(1)]);
    expect(await store.findTraceIds({ attributes: { [key]: 'v' }, limit: 10 })).toEqual([tid(2)]);
    expect(await store.findTraceIds({ attributes: { [key]: "v\\'" }, limit: 10 })).toEqual([]);
    expect((await store.stats()).spans).toBe(2);
    // a malformed span fails its own write, not a good one queued in the same group behind a flush
    const [, bad, good] = await Promise.allSettled([
      store.write([makeSpan({ traceId: tid(3), spanId: sid(1) })]),
      store.write([makeSpan({ traceId: 'abc', spanId: sid(1) })]),
      store.write([makeSpan({ traceId: tid(4), spanId: sid(1) })]),
    ]);
    expect(bad.status === 'rejected' && String(bad.reason)).toMatch(/malformed id/);
    expect(good.status).toBe('fulfilled');
    expect((await store.stats()).spans).toBe(4);
    await store.close();
  });

  it('retention drops whole UTC days only, with no DELETE mutation', async () => {
    const store = await ClickHouseStore.open({ url: server.url('retention') });
    const at = (ns: bigint, n: number) => makeSpan({ traceId: tid(n), spanId: sid(1), startTimeUnixNano: ns, endTimeUnixNano: ns + 1n });
    await store.write([at(D0 - 2n * DAY, 1), at(D0 - DAY + HOUR, 2), at(D0 + HOUR / 2n, 3), at(D0 + 20n * HOUR, 4)]);
    expect(store.retentionCutoff(D0 + 13n * HOUR)).toBe(D0);
    // now = D0 + 13h, retention 12h: the cutoff (D0 + 1h) is rounded down to D0, so trace 3 stays
    const retention = new Retention(store, { retentionNs: 12n * HOUR, now: () => D0 + 13n * HOUR });
    expect(await retention.runOnce()).toEqual({ byAge: 2, bySize: 0 });
    expect(await store.findTraceIds({ limit: 10 })).toEqual([tid(4), tid(3)]);
    expect(await rawCount('retention', "SELECT count() FROM system.mutations WHERE database = 'retention'")).toBe(0);
    // an exact purge inside a day needs (and waits for) a mutation
    expect(await store.purgeBefore(D0 + 2n * HOUR)).toBe(1);
    expect(await store.findTraceIds({ limit: 10 })).toEqual([tid(4)]);
    expect(await rawCount('retention', "SELECT count() FROM system.mutations WHERE database = 'retention'")).toBe(1);
    await store.close();
  });
});

describe('ClickHouseStore layout', () => {
  it('a search, a trace by id and a duplicate probe read only their key ranges, not the table', async () => {
    // 40,000 spans: traces of 4 spans, each in another of 40 services x 6 operations
    const store = await ClickHouseStore.open({ url: server.url('layout', LOGGED_USER) });
    const spans = [];
    for (let t = 0; t < 10_000; t++) {
      for (let k = 0; k < 4; k++) {
        const start = D0 + BigInt(t) * 1_000_000n + BigInt(k);
        spans.push(makeSpan({
          traceId: tid(t + 1), spanId: sid(k + 1), name: `op-${(t + k) % 6}`, resource: resourceOf(`svc-${(t + 7 * k) % 40}`),
          startTimeUnixNano: start, endTimeUnixNano: start + BigInt(t % 100) * 1000n, attributes: [{ key: 'tenant', value: `t${t % 5}` }],
        }));
      }
    }
    const total = spans.length;
    await store.write(spans);
    const want = spans
      .filter((s) => s.resource.attributes[0]!.value === 'svc-3' && s.name === 'op-1' && s.attributes[0]!.value === 't2')
      .map((s) => s.traceId).reverse().slice(0, 5);
    expect(want.length).toBe(5);
    expect(await store.findTraceIds({ service: 'svc-3', operation: 'op-1', attributes: { tenant: 't2' }, limit: 5 })).toEqual(want);
    expect((await store.getTrace(tid(4321))).map((s) => s.spanId).sort()).toEqual([sid(1), sid(2), sid(3), sid(4)]);
    // a retried write of two stored traces and a new span: the probe finds what is stored
    await store.write([...spans.slice(20_000, 20_008), makeSpan({ traceId: tid(5001), spanId: sid(9), startTimeUnixNano: D0, endTimeUnixNano: D0 })]);
    expect((await store.stats()).spans).toBe(total + 1);
    expect(await store.getTrace(tid(5001))).toHaveLength(5);
    await store.close();

    const readRows = async (like: string): Promise<number[]> => {
      const conn = new ClickHouseConnection(parseClickHouseUrl(server.url('layout')));
      try {
        await conn.command('SYSTEM FLUSH LOGS');
        const r = new RowBinaryReader(await conn.query(
          `SELECT read_rows FROM system.query_log WHERE type = 2 AND query LIKE '${like}' ORDER BY event_time FORMAT RowBinary`,
        ));
        const out: number[] = [];
        while (!r.done) out.push(Number(r.uint64()));
        return out;
      } finally {
        await conn.close();
      }
    };
    // sorted by trace id, every granule held svc-3's spans and the search read all 40,000 rows
    // the candidates' time range, then windows of it back from the newest
    const bounds = await readRows('SELECT count(), min(start_ns), max(start_ns) FROM layout.spans PREWHERE svc = %');
    const windows = await readRows('%FROM layout.spans PREWHERE svc = %GROUP BY trace_id%');
    expect(bounds).toHaveLength(1);
    expect(windows.length).toBeGreaterThanOrEqual(1);
    expect([...bounds, ...windows].reduce((a, b) => a + b)).toBeLessThan(total / 10);
    const byId = await readRows('SELECT span_id, otlp FROM layout.spans%');
    expect(byId).toHaveLength(2);
    for (const n of byId) expect(n).toBeLessThan(total / 10);
    const probe = await readRows('SELECT trace_id, span_id, fp FROM layout.spans%');
    expect(probe).toHaveLength(1);
    expect(probe[0]).toBeLessThan(total / 10);
  });
});

describe('ClickHouseStore partial writes and purges', () => {
  it('a write that failed after its trace_index rows is retried in full; purges drop both tables\' days', async () => {
    const url = server.url('partial');
    const store = await ClickHouseStore.open({ url });
    const at = (ns: bigint, t: number, s: number) => makeSpan({ traceId: tid(t), spanId: sid(s), startTimeUnixNano: ns, endTimeUnixNano: ns + 5n });
    const spans = [at(D0 - DAY + HOUR, 1, 1), at(D0 - DAY + HOUR + 1n, 1, 2), at(D0 + HOUR, 2, 1)];
    // the index rows of a write whose spans INSERT failed
    const conn = new ClickHouseConnection(parseClickHouseUrl(url));
    const index = indexRowsFor(spans.map((s) => ({ traceId: s.traceId, svc: serviceName(s.resource), name: s.name, start: s.startTimeUnixNano })), new Map());
    await conn.insert(`INSERT INTO partial.trace_index (${INDEX_COLUMNS.join(', ')}) FORMAT RowBinary`, writeIndexRows(index));
    expect(await store.getTrace(tid(1))).toEqual([]);
    await store.write(spans); // the retry
    expect((await store.getTrace(tid(1))).map((s) => s.spanId).sort()).toEqual([sid(1), sid(2)]);
    expect(await store.getTrace(tid(2))).toHaveLength(1);
    await store.write(spans);
    expect((await store.stats()).spans).toBe(3);
    expect(await rawCount('partial', 'SELECT count() FROM partial.trace_index')).toBe(2); // the retries added none: one per trace and day
    expect(await store.purgeBefore(D0)).toBe(2);
    expect(await rawCount('partial', `SELECT count() FROM partial.trace_index WHERE start_min < ${D0}`)).toBe(0);
    expect(await store.getTrace(tid(2))).toHaveLength(1);
    // the same span inserted by another process at the same moment: read once until parts merge
    const w = new RowBinaryWriter();
    const encoder = new SpanRowEncoder();
    encoder.write(w, encoder.row(spans[2]!));
    await conn.insert(`INSERT INTO partial.spans (${SPAN_COLUMNS.join(', ')}) FORMAT RowBinary`, w.finish());
    expect(await rawCount('partial', 'SELECT count() FROM partial.spans')).toBe(2);
    expect(await store.getTrace(tid(2))).toEqual([spans[2]]);
    await conn.close();
    await store.close();
  });
});

describe('ClickHouseStore search windows', () => {
  it('answers exactly what the memory store answers, whether the newest window holds enough traces or every window is read', async () => {
    // 400 traces over ten days, newest-first order decided by their newest matching span
    let seed = 7;
    const rand = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const spans = [];
    for (let t = 1; t <= 400; t++) {
      for (let s = 1; s <= 3; s++) {
        const start = D0 + BigInt(rand(10 * 24 * 60)) * 60_000_000_000n + BigInt(rand(1000));
        spans.push(
          makeSpan({
            traceId: tid(t),
            spanId: sid(t * 10 + s),
            name: ['read', 'write', 'sync'][rand(3)]!,
            resource: resourceOf(['db', 'api'][rand(2)]!),
            startTimeUnixNano: start,
            endTimeUnixNano: start + BigInt(1 + rand(100)) * 1_000_000n,
            attributes: [{ key: 'disk', value: `sd${'abc'[rand(3)]}` }],
            status: { code: rand(10) === 0 ? 2 : 0, message: '' },
          }),
        );
      }
    }
    const store = await ClickHouseStore.open({ url: server.url('windows') });
    const reference = new MemoryStore();
    await store.write(spans);
    await reference.write(spans);
    const queries: Array<Omit<TraceQuery, 'limit'>> = [
      {},
      { service: 'db' },
      { service: 'db', operation: 'sync', attributes: { disk: 'sdb' } },
      { service: 'api', attributes: { error: 'true' }, durationMinNs: 50_000_000n },
      { attributes: { disk: 'sdc' }, startTimeMinNs: D0 + 2n * DAY, startTimeMaxNs: D0 + 5n * DAY },
      { service: 'db', operation: 'read', attributes: { disk: 'none' } },
    ];
    for (const q of queries) {
      for (const limit of [1, 7, 40, 1000]) {
        expect(await store.findTraceIds({ ...q, limit }), JSON.stringify({ ...q, limit }, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v))).toEqual(
          await reference.findTraceIds({ ...q, limit }),
        );
      }
    }
    await store.close();
  });
});

describe('ClickHouseStore errors', () => {
  it('says the server is unreachable, naming its URL', async () => {
    const url = 'http://127.0.0.1:1/skein'; // nothing listens on port 1
    await expect(ClickHouseStore.open({ url })).rejects.toThrow(/^ClickHouse at http:\/\/127\.0\.0\.1:1\/skein is unreachable \(.*ECONNREFUSED/);
  });

  it('says the credentials were refused, without showing the password', async () => {
    const err: Error = await ClickHouseStore.open({ url: server.url('auth', 'skein:wrong-pw-123') }).catch((e: Error) => e);
    expect(err.message).toMatch(new RegExp(`^ClickHouse at http://skein@127\\.0\\.0\\.1:${server.port}/auth refused user "skein"`));
    expect(err.message).not.toContain('wrong-pw-123');
    expect(String((err as { cause?: unknown }).cause)).not.toContain('wrong-pw-123');
    const store = await ClickHouseStore.open({ url: server.url('auth', `skein:${TEST_PASSWORD}`) });
    expect(store.url).toBe(`http://skein@127.0.0.1:${server.port}/auth`);
    await store.write([makeSpan({ traceId: tid(1), spanId: sid(1) })]);
    expect((await store.stats()).spans).toBe(1);
    await store.close();
  });

  it('the test harness fails (never skips) without the binary, saying what to install', () => {
    expect(() => clickHouseBinary(['/nonexistent/clickhouse-server'])).toThrow(/install Debian's package \(apt-get install clickhouse-server\)/);
    expect(clickHouseBinary()).toMatch(/clickhouse-server$/);
  });

  it('refuses URLs it cannot use', () => {
    expect(() => parseClickHouseUrl('127.0.0.1:8123')).toThrow(/not supported|not a URL/);
    expect(() => parseClickHouseUrl('tcp://127.0.0.1:9000/x')).toThrow(/HTTP interface/);
    expect(() => parseClickHouseUrl('http://127.0.0.1:8123/a-b')).toThrow(/plain identifier/);
    expect(parseClickHouseUrl('http://u:p%40ss@h:8123')).toMatchObject({ database: 'skein', username: 'u', password: 'p@ss', display: 'http://u@h:8123/skein' });
  });
});
