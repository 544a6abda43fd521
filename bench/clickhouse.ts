/**
 * The ClickHouse store against the embedded one: the store bench's dataset (1M spans) loaded into
 * each in the same run, then the same trace-by-id, search and RED queries, with ratios to DuckDB.
 * ClickHouse is Debian's clickhouse-server, started here on loopback with a fresh data directory
 * (as its tests start it), so the figures include its HTTP round trips but no network. With
 * SKEIN_BENCH_FULL=1 it also loads 10M spans into ClickHouse alone: compare those figures with
 * the store bench's 10M DuckDB rows of the same run.
 */
import { ClickHouseStore } from '../packages/server/src/store/clickhouse/index.js';
import { startClickHouse } from '../packages/server/src/store/clickhouse/test-support/clickhouse-server.js';
import { duckDbSubject, measure, type StoreFigures } from './store.js';
import type { BenchRow } from './lib/table.js';

const SPANS = 1_000_000;

export async function benchClickHouse(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const duck = await duckDbSubject();
  let base: StoreFigures;
  try {
    base = await measure({ ...duck, name: 'DuckDB' }, SPANS, rows);
  } finally {
    await duck.cleanup();
  }
  const server = await startClickHouse();
  let ch: StoreFigures;
  try {
    const subject = (db: string) => ({ name: 'ClickHouse', open: () => ClickHouseStore.open({ url: server.url(db) }), cleanup: async () => {} });
    ch = await measure(subject('skein_bench'), SPANS, rows);
    if (process.env.SKEIN_BENCH_FULL === '1') await measure(subject('skein_bench_10m'), 10 * SPANS, rows);
  } finally {
    await server.stop();
  }
  const ratio = (name: string, value: number, note: string) => rows.push({ name: `ClickHouse / DuckDB (1M): ${name}`, value: Number(value.toFixed(3)), unit: 'x', note });
  ratio('load rate', ch.rate / base.rate, 'spans/s, same dataset and writers');
  ratio('trace by id p99', ch.byId.p99 / base.byId.p99, 'lower is faster');
  ratio('search p99', ch.search.p99 / base.search.p99, 'lower is faster');
  ratio('RED aggregate p99', ch.red.p99 / base.red.p99, 'lower is faster');
  ratio('bytes per span', ch.bytesPerSpan / base.bytesPerSpan, 'on disk');
  return rows;
}
