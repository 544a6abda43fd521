/** The DuckDB store: reopening, schema versions, id checks, group commit, reads during ingest. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { pino } from 'pino';
import { makeSpan, resourceOf, richTrace, sid, tid } from '../conformance.js';
import { DuckDbStore, SchemaVersionError } from './index.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skein-duckdb-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const freshPath = (): string => join(dir, `s${n++}.duckdb`);

/** Turns a file of this schema back into one of schema `version` (1 or 2): names as text. */
async function downgrade(path: string, version: 1 | 2, edit?: (c: DuckDBConnection) => Promise<void>): Promise<void> {
  const db = await DuckDBInstance.create(path);
  const c = await db.connect();
  await c.run(`CREATE TABLE old AS SELECT s.trace_id, s.span_id, s.parent_id, s.start_ns, s.dur_ns, v.name AS service,
      coalesce(o.name, s.name) AS name, s.kind, s.status, s.status_msg, s.flags, s.res_id, s.scope_id, s.attrs, s.extra
    FROM spans s JOIN names v ON v.id = s.svc LEFT JOIN names o ON o.id = s.op ORDER BY s.rowid`);
  await c.run(`DROP TABLE spans`);
  await c.run(`ALTER TABLE old RENAME TO spans`);
  await c.run(`DROP TABLE names`);
  await edit?.(c);
  await c.run(`UPDATE meta SET value = '${version}' WHERE key = 'schema_version'`);
  c.closeSync();
  db.closeSync();
}

describe('DuckDbStore', () => {
  it('works in memory too', async () => {
    const store = await DuckDbStore.open({});
    await store.write(richTrace());
    expect(await store.getTrace(richTrace()[0]!.traceId)).toHaveLength(2);
    expect((await store.stats()).bytes).toBe(0);
    await store.close();
  });

  it('keeps data across close and reopen, and reports the file size', async () => {
    const path = freshPath();
    let store = await DuckDbStore.open({ path });
    const spans = richTrace();
    await store.write(spans);
    await store.close();
    store = await DuckDbStore.open({ path });
    expect(await store.getTrace(spans[0]!.traceId)).toHaveLength(2);
    // the interned resource objects are rebuilt equal
    expect((await store.getTrace(spans[0]!.traceId)).find((s) => s.spanId === spans[0]!.spanId)).toEqual(spans[0]);
    const stats = await store.stats();
    expect(stats.spans).toBe(2);
    expect(stats.bytes).toBeGreaterThan(10_000);
    // a write after reopen interns new resources with fresh ids
    await store.write([makeSpan({ traceId: tid(5), spanId: sid(5), resource: { attributes: [{ key: 'service.name', value: 'late' }], droppedAttributesCount: 0, schemaUrl: '' } })]);
    expect(await store.getServices()).toEqual(['db', 'frontend', 'late']);
    await store.close();
    // new files get 64 KiB blocks (index.ts says why)
    const db = await DuckDBInstance.create(path);
    const c = await db.connect();
    const size = await c.runAndReadAll(`SELECT block_size FROM pragma_database_size() WHERE database_name = current_database()`);
    expect(Number(size.getRows()[0]![0])).toBe(65536);
    c.closeSync();
    db.closeSync();
  });

  it('drops replays after a reopen, keeps late spans of stored traces, and round-trips odd strings', async () => {
    const path = freshPath();
    let store = await DuckDbStore.open({ path });
    const spans = richTrace();
    await store.write(spans);
    await store.close();
    // After a restart only the file knows these traces: the replay must still be dropped.
    store = await DuckDbStore.open({ path });
    const late = makeSpan({ traceId: spans[0]!.traceId, spanId: sid(77), name: 'late' });
    // Strings at the 12-byte inline boundary, non-ASCII, empty and NUL-bearing ones.
    const odd = ['', 'exactly12chr', 'thirteen_chr!', 'é', 'ünïcödé-näme', 'a\u0000b', '日本語'].map((name, i) =>
      makeSpan({ traceId: tid(900), spanId: sid(i + 1), name, status: { code: 2, message: name } }),
    );
    await store.write([...spans, late, ...odd]);
    expect(await store.getTrace(spans[0]!.traceId)).toHaveLength(3);
    const got = await store.getTrace(tid(900));
    for (const s of odd) expect(got.find((g) => g.spanId === s.spanId)).toEqual(s);
    expect((await store.stats()).spans).toBe(3 + odd.length);
    await store.close();
  });

  it('stores nothing of a group whose append failed, and keeps writing afterwards', async () => {
    const store = await DuckDbStore.open({ path: freshPath() });
    const spans = richTrace();
    await store.write(spans);
    // Failure injection: without its staging table a lane cannot probe replays.
    const lanes = (store as unknown as { writer: { lanes: Array<{ conn: { run(sql: string): Promise<unknown> } }> } }).writer.lanes;
    for (const l of lanes) await l.conn.run('ALTER TABLE pending RENAME TO pending_gone');
    const fresh = makeSpan({ traceId: tid(50), spanId: sid(1) });
    // One group: a new trace (appended directly) and a replay (staged, then the probe fails).
    await expect(store.write([fresh, ...spans])).rejects.toThrow(/pending/);
    for (const l of lanes) await l.conn.run('ALTER TABLE pending_gone RENAME TO pending');
    expect((await store.stats()).spans).toBe(2);
    expect(await store.getTrace(tid(50))).toEqual([]);
    await store.write([fresh, makeSpan({ traceId: tid(51), spanId: sid(1) })]);
    expect((await store.stats()).spans).toBe(4);
    await store.close();
  });

  it('drops replays of traces the writer no longer remembers', async () => {
    const store = await DuckDbStore.open({ path: freshPath(), recentSpans: 8 });
    const trace = (n: number) => [0, 1].map((i) => makeSpan({ traceId: tid(n), spanId: sid(i + 1), startTimeUnixNano: BigInt(n) * 1_000_000_000n + 1_700_000_000_000_000_000n }));
    for (let n = 1; n <= 40; n++) await store.write(trace(n));
    const all = Array.from({ length: 40 }, (_, n) => trace(n + 1)).flat();
    await store.write(all);
    await store.write([...all.slice(0, 10), ...all.slice(0, 10)]);
    expect((await store.stats()).spans).toBe(80);
    expect(await store.getTrace(tid(1))).toHaveLength(2);
    await store.close();
  });

  it('refuses a file with a newer schema version', async () => {
    const path = freshPath();
    await (await DuckDbStore.open({ path })).close();
    const db = await DuckDBInstance.create(path);
    const c = await db.connect();
    await c.run(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`);
    c.closeSync();
    db.closeSync();
    await expect(DuckDbStore.open({ path })).rejects.toThrow(SchemaVersionError);
    await expect(DuckDbStore.open({ path })).rejects.toThrow(/schema version 99, newer than/);
  });

  it('codes attribute keys, and upgrades a schema-1 file whose spans spell them out', async () => {
    const path = freshPath();
    let store = await DuckDbStore.open({ path });
    const attributes = [{ key: 'http.route', value: '/a' }, { key: 'retries', value: 3n }];
    await store.write([makeSpan({ traceId: tid(1), spanId: sid(1), attributes })]);
    await store.close();
    // Make it a schema-1 file: keys spelled out in the spans, no dictionary.
    await downgrade(path, 1, async (c) => {
      const coded = (await c.runAndReadAll(`SELECT attrs FROM spans`)).getRows()[0]![0] as string;
      expect(coded).toBe('\x1e\x1da\x1f/a\x1fs\x1e\x1db\x1f3\x1fi\x1e');
      await c.run(`UPDATE spans SET attrs = replace(replace(attrs, '\x1e\x1da\x1f', '\x1ehttp.route\x1f'), '\x1e\x1db\x1f', '\x1eretries\x1f')`);
      await c.run(`DROP TABLE attr_keys`);
    });

    store = await DuckDbStore.open({ path });
    await store.write([makeSpan({ traceId: tid(2), spanId: sid(1), attributes })]);
    const byRoute = await store.findTraceIds({ attributes: { 'http.route': '/a', retries: '3' }, limit: 10 });
    expect(byRoute.sort()).toEqual([tid(1), tid(2)]);
    for (const t of [tid(1), tid(2)]) expect((await store.getTrace(t))[0]!.attributes).toEqual(attributes);
    await store.close();
    store = await DuckDbStore.open({ path });
    expect(await store.findTraceIds({ attributes: { retries: '3' }, limit: 10 })).toHaveLength(2);
    await store.close();
  });

  it('upgrades a schema-2 file, whose spans name their service and operation in text', async () => {
    const path = freshPath();
    let store = await DuckDbStore.open({ path });
    const spans = richTrace();
    await store.write(spans);
    await store.close();
    await downgrade(path, 2);

    store = await DuckDbStore.open({ path });
    const [root, child] = spans;
    expect(await store.getTrace(root!.traceId)).toHaveLength(2);
    expect((await store.getTrace(root!.traceId)).find((s) => s.spanId === root!.spanId)).toEqual(root);
    expect(await store.getServices()).toEqual(['db', 'frontend']);
    expect(await store.getOperations('db')).toEqual([{ name: 'SELECT items', spanKind: 'client' }]);
    expect(await store.findTraceIds({ service: 'db', operation: 'SELECT items', limit: 5 })).toEqual([root!.traceId]);
    expect(await store.getDependencies(0n, 1n << 62n)).toEqual([{ parent: 'frontend', child: 'db', callCount: 1, errorCount: 0 }]);
    // new spans of a known service and of a new one use the upgraded file's dictionary
    await store.write([makeSpan({ traceId: tid(9), spanId: sid(1), name: child!.name, resource: resourceOf('db') }), makeSpan({ traceId: tid(9), spanId: sid(2), name: 'fresh' })]);
    await store.close();
    store = await DuckDbStore.open({ path });
    expect(await store.findTraceIds({ service: 'db', operation: 'SELECT items', limit: 5 })).toEqual([root!.traceId, tid(9)]);
    expect(await store.getServices()).toEqual(['db', 'frontend', 'svc']);
    expect(await store.getOperations('svc')).toEqual([{ name: 'fresh', spanKind: 'internal' }]);
    await store.close();
  });

  it('spells out span names past the dictionary bound, and reads and searches both alike', async () => {
    const path = freshPath();
    let store = await DuckDbStore.open({ path, maxNames: 3 });
    // 'svc' takes one id, 'op-0' and 'op-1' the others; 'op-2' and 'op-3' are spelled out
    const spans = [0, 1, 2, 3].map((i) => makeSpan({ traceId: tid(i + 1), spanId: sid(1), name: `op-${i}`, status: { code: i === 3 ? 2 : 0, message: '' } }));
    await store.write(spans);
    await store.write([spans[3]!]);
    expect((await store.stats()).spans).toBe(4);
    await store.close();
    store = await DuckDbStore.open({ path, maxNames: 3 });
    for (const s of spans) {
      expect((await store.getTrace(s.traceId))[0]!.name).toBe(s.name);
      expect(await store.findTraceIds({ service: 'svc', operation: s.name, limit: 5 })).toEqual([s.traceId]);
    }
    expect((await store.getOperations('svc')).map((o) => o.name)).toEqual(['op-0', 'op-1', 'op-2', 'op-3']);
    const t = spans[0]!.startTimeUnixNano;
    const red = await store.getRedMetrics({ service: 'svc', startNs: t, endNs: t, stepNs: 1n, groupByOperation: true });
    expect(red.map((p) => [p.operation, p.calls, p.errors])).toEqual([['op-0', 1, 0], ['op-1', 1, 0], ['op-2', 1, 0], ['op-3', 1, 1]]);
    await store.close();
  });

  it('rejects spans with malformed ids, naming the field', async () => {
    const store = await DuckDbStore.open({});
    await expect(store.write([makeSpan({ traceId: 'xyz', spanId: sid(1) })])).rejects.toThrow(/trace id "xyz"/);
    await expect(store.write([makeSpan({ traceId: tid(1), spanId: sid(1), parentSpanId: '12' })])).rejects.toThrow(/parent span id "12"/);
    await store.close();
  });

  it('groups concurrent writes into few commits', async () => {
    const store = await DuckDbStore.open({ path: freshPath() });
    const before = store.commits;
    const writes = [];
    for (let i = 0; i < 50; i++) writes.push(store.write([makeSpan({ traceId: tid(1000 + i), spanId: sid(1) })]));
    await Promise.all(writes);
    const used = store.commits - before;
    expect(used).toBeLessThanOrEqual(3);
    expect((await store.stats()).spans).toBe(50);
    await store.close();
  });

  it('shares a queue of more than a chunk per lane between the two lanes', async () => {
    const store = await DuckDbStore.open({ path: freshPath() });
    const before = store.commits;
    // The first write forms a group at once; the eight behind it queue meanwhile: 8,000 spans
    // go in two groups of 4,000, one appended while the other commits.
    const writes = [store.write([makeSpan({ traceId: tid(1), spanId: sid(1) })])];
    for (let w = 0; w < 8; w++) {
      writes.push(store.write(Array.from({ length: 1000 }, (_, i) => makeSpan({ traceId: tid(100 + w), spanId: sid(i + 1) }))));
    }
    await Promise.all(writes);
    expect(store.commits - before).toBe(3);
    expect((await store.stats()).spans).toBe(8001);
    await store.close();
  });

  it('checkpoints between groups once the WAL reaches the threshold, and loses nothing', async () => {
    const path = freshPath();
    const checkpoints: number[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => JSON.parse(line).msg === 'duckdb store: checkpoint' && checkpoints.push(1) });
    const store = await DuckDbStore.open({ path, checkpointThreshold: '200KB', logger });
    const wal = (): Promise<number> => stat(`${path}.wal`).then((s) => s.size, () => 0);
    let maxWal = 0;
    for (let b = 0; b < 12; b++) {
      const spans = Array.from({ length: 1000 }, (_, i) => makeSpan({ traceId: tid(b * 1000 + (i >> 3) + 1), spanId: sid(i + 1), name: `op-${i % 7}`, attributes: [{ key: 'http.url', value: `/items/${b}/${i}` }] }));
      await store.write(spans);
      maxWal = Math.max(maxWal, await wal());
    }
    // DuckDB's own automatic checkpoint is off, so only the writer's keep the WAL short.
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    expect(maxWal).toBeLessThan(400e3);
    expect((await store.stats()).spans).toBe(12_000);
    await store.close();
    const again = await DuckDbStore.open({ path });
    expect((await again.stats()).spans).toBe(12_000);
    expect(await again.getTrace(tid(11_000 + 5))).toHaveLength(8);
    await again.close();
  });

  it('names a checkpoint threshold that is not a size', async () => {
    await expect(DuckDbStore.open({ path: freshPath(), checkpointThreshold: 'lots' })).rejects.toThrow(/checkpointThreshold "lots" is not a size/);
  });

  it('answers queries and keeps the event loop free while ingesting', async () => {
    const store = await DuckDbStore.open({ path: freshPath() });
    const batch = (b: number) =>
      Array.from({ length: 2000 }, (_, i) =>
        makeSpan({ traceId: tid(b * 10_000 + Math.floor(i / 10) + 1), spanId: sid(i + 1), attributes: [{ key: 'http.url', value: `/items/${i}` }, { key: 'n', value: BigInt(i) }] }),
      );
    await store.write(batch(0));
    // Built before measuring: only the store's own work should show in the event-loop delay.
    const batches = Array.from({ length: 10 }, (_, b) => batch(b + 1));
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const ingest = Promise.all(batches.map((b) => store.write(b)));
    const latencies: number[] = [];
    let done = false;
    void ingest.then(() => (done = true));
    while (!done) {
      const t = performance.now();
      expect(await store.getTrace(tid(1))).toHaveLength(10);
      latencies.push(performance.now() - t);
    }
    await ingest;
    h.disable();
    const maxDelayMs = h.max / 1e6;
    const p50DelayMs = h.percentile(50) / 1e6;
    const p99DelayMs = h.percentile(99) / 1e6;
    latencies.sort((a, b) => a - b);
    const readP50 = latencies[latencies.length >> 1]!;
    console.log(
      `ingest of 20k spans: ${latencies.length} trace reads, read p50 ${readP50.toFixed(1)} ms, ` +
        `event-loop delay p50 ${p50DelayMs.toFixed(1)} ms, p99 ${p99DelayMs.toFixed(1)} ms, max ${maxDelayMs.toFixed(1)} ms`,
    );
    expect(latencies.length).toBeGreaterThan(2);
    expect(readP50).toBeLessThan(500);
    // Bounds for a heavily shared test machine (preemption alone shows as ~30-100 ms stalls
    // there); a 20k-span append done in one synchronous piece stalls ~300 ms.
    expect(p50DelayMs).toBeLessThan(20);
    expect(maxDelayMs).toBeLessThan(1000);
    expect((await store.stats()).spans).toBe(22_000);
    await store.close();
  });
});

