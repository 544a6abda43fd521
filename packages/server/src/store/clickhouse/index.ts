/**
 * The scale-out store: spans in a ClickHouse server, over its HTTP interface. Works with
 * ClickHouse 18.16 (Debian's package) and later; README.md says what that rules out.
 */
import type { Span } from '@skein/model';
import type { Logger } from 'pino';
import { ascending, checkRedQuery, operationOrder, redPointOrder } from '../store.js';
import type { DependencyLink, Operation, RedPoint, RedQuery, Store, StoreStats, TraceQuery } from '../store.js';
import { isHex } from '../hex.js';
import { ClickHouseConnection, parseClickHouseUrl, type ClickHouseTarget } from './connection.js';
import { dependenciesSql, kindCond, kindName, redSql, searchBoundsSql, searchSql } from './queries.js';
import { dayAligned, purgeBefore } from './purge.js';
import { RowBinaryReader } from './row-binary.js';
import { spansFromCells, type StoredCell } from './rows.js';
import { DATA_TABLES, ensureSchema } from './schema.js';
import { sqlString } from './sql.js';
import { traceSql } from './trace-index.js';
import { GroupWriter } from './writer.js';

export { SchemaVersionError, SCHEMA_VERSION } from './schema.js';
export { parseClickHouseUrl } from './connection.js';

export interface ClickHouseStoreOptions {
  /** `http[s]://[user[:password]@]host:port[/database]`; the database defaults to `skein`. */
  url: string;
  logger?: Logger;
  /** Rows per INSERT (default writer.ts INSERT_BATCH). */
  insertBatch?: number;
  /** A search's first window, as a fraction of its time range (default SEARCH_WINDOWS). */
  searchWindows?: number;
}

/** A search's first window is this fraction of its candidates' time range (findTraceIds). */
const SEARCH_WINDOWS = 64;

export class ClickHouseStore implements Store {
  private closed = false;

  private constructor(
    private readonly conn: ClickHouseConnection,
    private readonly db: string,
    private readonly writer: GroupWriter,
    private readonly searchWindows = SEARCH_WINDOWS,
  ) {}

  /** Connects, creates the schema if missing, and checks its version. */
  static async open(opts: ClickHouseStoreOptions): Promise<ClickHouseStore> {
    const target: ClickHouseTarget = parseClickHouseUrl(opts.url);
    const conn = new ClickHouseConnection(target);
    try {
      await ensureSchema(conn, target.database);
    } catch (err) {
      await conn.close();
      throw err;
    }
    opts.logger?.info({ clickhouse: target.display }, 'spans are stored in ClickHouse');
    return new ClickHouseStore(conn, target.database, new GroupWriter(conn, target.database, opts.insertBatch), opts.searchWindows);
  }

  /** Where the spans go, as messages show it (no password). */
  get url(): string {
    return this.conn.target.display;
  }

  /** INSERT statements sent so far. */
  get inserts(): number {
    return this.writer.inserts;
  }

  write(spans: Span[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('ClickHouse store is closed'));
    return this.writer.write(spans);
  }

  async getTrace(traceId: string): Promise<Span[]> {
    if (!isHex(traceId, 32)) return [];
    // One query: the trace's keys from trace_index (its primary key), then only the granules of
    // `spans` holding those keys (trace-index.ts).
    const r = await this.rows(traceSql(this.db, traceId));
    // Two processes may have inserted the same span before their parts merged: one row per span
    // id and content. Equal content is an equal cell (the codec is deterministic), so the cell
    // stands for the fp column, which is not read (fewer columns per granule, see README).
    const seen = new Set<string>();
    const cells: StoredCell[] = [];
    while (!r.done) {
      const spanId = r.fixed(8).toString('hex');
      const otlp = r.bytes();
      const key = `${spanId}${otlp.toString('latin1')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      cells.push({ traceId, spanId, otlp });
    }
    return spansFromCells(cells);
  }

  async getServices(): Promise<string[]> {
    const r = await this.rows(`SELECT DISTINCT svc FROM ${this.db}.spans FORMAT RowBinary`);
    const out: string[] = [];
    while (!r.done) out.push(r.string());
    return out.sort(ascending);
  }

  async getOperations(service: string, spanKind?: string): Promise<Operation[]> {
    const kind = spanKind ? ` AND ${kindCond(spanKind)}` : '';
    const r = await this.rows(`SELECT DISTINCT name, kind FROM ${this.db}.spans WHERE svc = ${sqlString(service)}${kind} FORMAT RowBinary`);
    const ops = new Map<string, Operation>();
    while (!r.done) {
      const name = r.string();
      const k = kindName(r.uint8());
      ops.set(`${name}\0${k}`, { name, spanKind: k });
    }
    return [...ops.values()].sort(operationOrder);
  }

  /**
   * Newest traces first, searched in windows of start time back from the newest candidate span:
   * the first window is 1/searchWindows of the range and each next one 4x as wide, so a search
   * with many matches reads a sliver of its key range (the key is svc, name, start), and one
   * with few reads the whole range in a handful of queries. Exactly the single query's answer:
   * a trace found in a window ranks (by its newest matching span) above every trace whose
   * matching spans are all older, and one found again in an older window keeps its first place.
   */
  async findTraceIds(query: TraceQuery): Promise<string[]> {
    if (!(query.limit > 0)) return [];
    const limit = Math.floor(query.limit);
    const r = await this.rows(searchBoundsSql(this.db, query));
    const [count, oldest, newest] = [r.uint64(), r.uint64(), r.uint64()];
    if (count === 0n) return [];
    const found = new Set<string>();
    let width = (newest - oldest) / BigInt(this.searchWindows) + 1n;
    for (let hi = newest; ; hi -= width, width *= 4n) {
      const lo = hi - width + 1n > oldest ? hi - width + 1n : oldest;
      const ids = await this.rows(searchSql(this.db, { ...query, startTimeMinNs: lo, startTimeMaxNs: hi, limit }));
      while (!ids.done) {
        found.add(ids.fixed(16).toString('hex'));
        if (found.size === limit) return [...found];
      }
      if (lo === oldest) return [...found];
    }
  }

  async getDependencies(startNs: bigint, endNs: bigint): Promise<DependencyLink[]> {
    if (endNs < 0n || endNs < startNs) return [];
    const r = await this.rows(dependenciesSql(this.db, startNs, endNs));
    const out: DependencyLink[] = [];
    while (!r.done) out.push({ parent: r.string(), child: r.string(), callCount: Number(r.uint64()), errorCount: Number(r.uint64()) });
    return out;
  }

  async getRedMetrics(q: RedQuery): Promise<RedPoint[]> {
    checkRedQuery(q);
    if (q.endNs < q.startNs || q.endNs < 0n) return [];
    const r = await this.rows(redSql(this.db, q));
    const points: RedPoint[] = [];
    while (!r.done) {
      const operation = r.string();
      const bucketStartNs = q.startNs + r.uint64() * q.stepNs;
      const calls = Number(r.uint64());
      const errors = Number(r.uint64());
      points.push({ operation, bucketStartNs, calls, errors, latencyNs: r.float64s() });
    }
    return points.sort(redPointOrder);
  }

  async purgeBefore(cutoffNs: bigint): Promise<number> {
    await this.writer.idle();
    return purgeBefore(this.conn, this.db, cutoffNs);
  }

  /** Retention's cutoff rounded down to a whole day, so it only drops partitions (purge.ts). */
  retentionCutoff(cutoffNs: bigint): bigint {
    return dayAligned(cutoffNs);
  }

  async stats(): Promise<StoreStats> {
    const spans = await this.rows(`SELECT count() FROM ${this.db}.spans FORMAT RowBinary`);
    const bytes = await this.rows(
      `SELECT sum(bytes_on_disk) FROM system.parts WHERE database = ${sqlString(this.db)} AND table IN (${DATA_TABLES.map((t) => sqlString(t)).join(', ')}) AND active FORMAT RowBinary`,
    );
    return { spans: Number(spans.uint64()), bytes: Number(bytes.uint64()) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.idle();
    await this.conn.close();
  }

  private async rows(sql: string): Promise<RowBinaryReader> {
    return new RowBinaryReader(await this.conn.query(sql));
  }
}
