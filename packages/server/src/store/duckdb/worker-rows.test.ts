/**
 * Requests stored through the ingest worker (rows built off the event loop) leave exactly the
 * rows that decoding them here and write() leave; requests the worker cannot take alone say so
 * and are stored the usual way by the caller.
 */
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodeOtlpProto, encodeOtlpProto, type Span } from '@skein/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spansArb } from '../../../../model/src/otlp/test-support/arbitrary.js';
import { DuckDbStore } from './index.js';
import { spanKey, traceKeyIn, traceWords } from './span-keys.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skein-worker-rows-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Every row of spans and traces, in a fixed order, as text; with `merged`, each trace's rows as
 * one (a trace has a row per commit, and concurrent writes are grouped differently).
 */
async function rowsOf(path: string, merged = false): Promise<string[]> {
  const db = await DuckDBInstance.create(path);
  const c = await db.connect();
  try {
    const text = (sql: string) => c.runAndReadAll(sql).then((r) => r.getRows().map((row) => JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))));
    return [...(await text(`SELECT * FROM spans ORDER BY ALL`)), '--', ...(await text(merged ? `SELECT trace_id, min(start_min), max(start_max) FROM traces GROUP BY ALL ORDER BY ALL` : `SELECT * FROM traces ORDER BY ALL`))];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** The same spans under other ids: the dictionaries learn their names, keys and resources. */
const renamed = (spans: Span[]): Span[] => spans.map((s, i) => ({ ...s, traceId: 'f'.repeat(24) + i.toString(16).padStart(8, '0'), spanId: 'e'.repeat(8) + i.toString(16).padStart(8, '0'), parentSpanId: '' }));

/** Times within the store's BIGINT columns. */
const requests = spansArb
  .filter((s) => s.length > 0)
  .map((spans) => spans.map((s) => ({ ...s, startTimeUnixNano: s.startTimeUnixNano >> 2n, endTimeUnixNano: s.endTimeUnixNano >> 2n })));

const repeatsIds = (spans: Span[]): boolean => new Set(spans.map((s) => s.traceId + s.spanId)).size < spans.length;

describe('DuckDbStore.writeOtlpProto', () => {
  it('stores the rows write() stores', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (spans) => {
        const body = encodeOtlpProto(spans);
        const paths = [join(dir, `direct-${++n}.duckdb`), join(dir, `worker-${n}.duckdb`)];
        const [direct, viaWorker] = await Promise.all(paths.map((path) => DuckDbStore.open({ path })));
        try {
          for (const store of [direct!, viaWorker!]) await store.write(renamed(spans));
          await direct!.write(decodeOtlpProto(body).spans);
          const taken = await viaWorker!.writeOtlpProto(body);
          // A request repeating a span id in itself is left to write(), which dedupes it in SQL.
          expect(taken).toBe(!repeatsIds(spans));
          if (!taken) await viaWorker!.write(decodeOtlpProto(body).spans);
        } finally {
          await Promise.all([direct!.close(), viaWorker!.close()]);
        }
        const [a, b] = await Promise.all(paths.map(rowsOf));
        expect(b).toEqual(a);
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('stores many requests, at once and one after another, the way write() does', async () => {
    // The threads pass bodies' and rows' buffers back and forth for reuse (buffer-pool.ts): a
    // buffer reused while its rows were still to be stored would store other rows.
    const batches = fc.sample(requests.filter((s) => !repeatsIds(s)), { numRuns: 40, seed: 11 });
    const bodies = batches.map((spans) => encodeOtlpProto(spans));
    const paths = [join(dir, `direct-${++n}.duckdb`), join(dir, `worker-${n}.duckdb`)];
    const [direct, viaWorker] = await Promise.all(paths.map((path) => DuckDbStore.open({ path })));
    try {
      for (const store of [direct!, viaWorker!]) for (const spans of batches) await store.write(renamed(spans));
      for (const body of bodies) await direct!.write(decodeOtlpProto(body).spans);
      const half = bodies.length >> 1;
      const taken = await Promise.all(bodies.slice(0, half).map((body) => viaWorker!.writeOtlpProto(body)));
      for (const body of bodies.slice(half)) taken.push(await viaWorker!.writeOtlpProto(body));
      expect(taken.every(Boolean)).toBe(true);
    } finally {
      await Promise.all([direct!.close(), viaWorker!.close()]);
    }
    const [a, b] = await Promise.all(paths.map((path) => rowsOf(path, true)));
    expect(b).toEqual(a);
  }, 60_000);

  it('leaves to the caller requests needing new dictionary entries, and malformed ones', async () => {
    const store = await DuckDbStore.open({});
    try {
      const spans = fc.sample(requests.filter((s) => !repeatsIds(s)), { numRuns: 1, seed: 7 })[0]!;
      expect(await store.writeOtlpProto(encodeOtlpProto(spans))).toBe(false);
      expect(await store.writeOtlpProto(new Uint8Array([0x0a, 0xff]))).toBe(false);
      await store.write(spans);
      // Now everything the request names is stored; its spans are too, so resending them
      // must not add rows (the group decodes it and dedupes in SQL).
      // A Buffer, as receivers have: the worker gets a copy, the caller keeps its memory.
      const body = Buffer.from(encodeOtlpProto(spans));
      const before = Buffer.from(body);
      expect(await store.writeOtlpProto(body)).toBe(true);
      expect(body.equals(before)).toBe(true);
      expect((await store.stats()).spans).toBe(spans.length);
    } finally {
      await store.close();
    }
  });

  it('does not store a re-sent span again, whatever the sign of its keys', async () => {
    // Keys are signed 32-bit hashes; a first version handed the worker's back unsigned, and
    // KeySet missed every negative one, so re-sent small requests were stored twice.
    const base = fc.sample(requests, { numRuns: 1, seed: 3 })[0]![0]!;
    const spans = Array.from({ length: 40 }, (_, i): Span => ({ ...base, traceId: 'c'.repeat(24) + i.toString(16).padStart(8, '0'), spanId: 'd'.repeat(8) + i.toString(16).padStart(8, '0'), parentSpanId: '' }));
    const negative = spans.filter((s) => spanKey(s.traceId, s.spanId) < 0 && traceKeyIn(traceWords(s.traceId)) < 0);
    expect(negative.length).toBeGreaterThan(0);
    const store = await DuckDbStore.open({});
    try {
      await store.write(renamed([base]));
      for (const s of negative.slice(0, 4)) {
        const before = (await store.stats()).spans;
        await store.write([s]);
        expect(await store.writeOtlpProto(encodeOtlpProto([s]))).toBe(true);
        expect((await store.stats()).spans).toBe(before + 1);
      }
      for (const s of spans.filter((x) => !negative.includes(x)).slice(0, 4)) {
        const before = (await store.stats()).spans;
        for (let k = 0; k < 2; k++) expect(await store.writeOtlpProto(encodeOtlpProto([s]))).toBe(true);
        expect((await store.stats()).spans).toBe(before + 1);
      }
    } finally {
      await store.close();
    }
  });

  it('does not store again re-sent spans the writer no longer remembers (started before its floors)', async () => {
    const base = fc.sample(requests, { numRuns: 1, seed: 4 })[0]![0]!;
    const trace = (n: number): Span[] =>
      [1, 2].map((i) => ({ ...base, traceId: 'b'.repeat(24) + n.toString(16).padStart(8, '0'), spanId: 'a'.repeat(8) + i.toString(16).padStart(8, '0'), parentSpanId: '', startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(n) * 1_000_000_000n }));
    const store = await DuckDbStore.open({ recentSpans: 8 });
    try {
      for (let n = 1; n <= 40; n++) await store.write(trace(n));
      // The writer remembers only the newest few: the first traces started before its floors.
      for (const n of [1, 2, 3, 20, 40]) expect(await store.writeOtlpProto(encodeOtlpProto(trace(n)))).toBe(true);
      expect((await store.stats()).spans).toBe(80);
    } finally {
      await store.close();
    }
  });
});
