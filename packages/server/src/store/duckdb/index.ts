/**
 * The embedded store: one DuckDB file (or memory), group-committed durable writes, and reads on
 * a small pool of connections so queries keep answering while ingest runs.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Span } from '@skein/model';
import type { Logger } from 'pino';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { spanKindName } from '../match.js';
import { ascending, operationOrder, redPointOrder } from '../store.js';
import { isHex } from '../hex.js';
import type { DependencyLink, Operation, RedPoint, RedQuery, Store, StoreStats, TraceQuery } from '../store.js';
import { parseByteSize } from '../retention.js';
import { Interner } from './interner.js';
import { ConnectionPool } from './pool.js';
import { dependenciesSql, hexToInt, redParts, redSql, rowToSpan, searchConditions, serviceCond, SPAN_SELECT, spanName } from './queries.js';
import { ensureSchema } from './schema.js';
import { GroupWriter } from './writer.js';
import { IngestWorker } from './worker-client.js';

export { SchemaVersionError, SCHEMA_VERSION } from './schema.js';

export interface DuckDbStoreOptions {
  /** The database file (e.g. `<data>/skein.duckdb`); undefined keeps everything in memory. */
  path?: string;
  logger?: Logger;
  /** Reader connections (default 3); RED and dependency queries spread over all of them. */
  readers?: number;
  /**
   * DuckDB threads (default: one less than the cores, at least 1). DuckDB's default, all cores,
   * made a trace lookup on 2 cores pay for waking a second thread (by-id p99 22-30 vs 16-17 ms
   * on 10M spans) and put its workers on the core the Node thread needs for ingest; the heavy
   * aggregates are split over the reader connections instead (getRedMetrics, getDependencies).
   */
  threads?: number;
  /** Span names given ids before new ones are spelled out (default MAX_NAMES, interner.ts). */
  maxNames?: number;
  /**
   * WAL size at which the writer checkpoints, between two groups (default '256MB'; writer.ts says
   * why DuckDB's own automatic checkpoint is off). DuckDB's 16MB default compressed each row
   * group in many small pieces: 100 B/span on the bench dataset vs 74.
   */
  checkpointThreshold?: string;
  /**
   * Spans the writer remembers by id (~16 bytes each, default 2M; half as many trace ids too) so
   * that new spans skip the duplicate probe; spans older than what is remembered are probed
   * (span-keys.ts).
   */
  recentSpans?: number;
}

/**
 * Storage block size of new files. A trace lookup whose blocks are not cached reads one block
 * per column it returns, and on this 2-core VM the cost went with the bytes (copy, checksum,
 * page faults on fresh buffers), not the block count: on the 10M bench file, uncached lookups
 * took p50 11 ms with 64 KiB blocks, 15 with 128 KiB, 19-20 with DuckDB's 256 KiB. Smaller
 * segments also have smaller string dictionaries, which a scan decompresses whole (cached
 * lookups p50 4.6 vs 5.7 ms), and the file is smaller (56.8 vs 58.9 B/span). 16 KiB blocks
 * took 69 B/span.
 */
const BLOCK_SIZE = 64 * 1024;
/** DuckDB keeps a file's write-ahead log beside it, under this name. */
const walPathOf = (path: string): string => `${path}.wal`;
const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * Ingest workers (ingest-worker.ts): one per core but the one the event loop and DuckDB's
 * commits need. On the 2-core bench machine a second one did not raise the rate (95k and 85k
 * vs 104k and 107k spans/s; serve already used ~1.65 of the 2 cores with one).
 */
const INGEST_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));

export class DuckDbStore implements Store {
  private closed = false;
  /** Started by the first writeOtlpProto (worker-client.ts), taking requests in turn. */
  private ingestWorkers: IngestWorker[] = [];
  private nextWorker = 0;

  private constructor(
    private readonly db: DuckDBInstance,
    private readonly admin: DuckDBConnection,
    private readonly pool: ConnectionPool,
    private readonly writer: GroupWriter,
    private readonly interner: Interner,
    readonly path: string | undefined,
    private readonly logger?: Logger,
  ) {}

  static async open(opts: DuckDbStoreOptions = {}): Promise<DuckDbStore> {
    // Both apply when the file is created: the newest storage format compresses strings better
    // (DICT_FSST), and BLOCK_SIZE says why the blocks are smaller than DuckDB's.
    const db = await DuckDBInstance.create(opts.path ?? ':memory:', { storage_compatibility_version: 'latest', default_block_size: String(BLOCK_SIZE) }).catch(
      (err: unknown) => {
        throw explainLocked(err, opts.path);
      },
    );
    try {
      const connect = (): Promise<DuckDBConnection> => db.connect();
      const admin = await db.connect();
      const threshold = opts.checkpointThreshold ?? '256MB';
      const checkpointBytes = parseByteSize(threshold);
      if (checkpointBytes === undefined) throw new Error(`checkpointThreshold ${JSON.stringify(threshold)} is not a size like '64MB'`);
      // The writer checkpoints; DuckDB's own would run inside a COMMIT, beside appends.
      if (opts.path) await admin.run(`SET checkpoint_threshold = '1000TB'`);
      const threads = opts.threads ?? Math.max(1, availableParallelism() - 1);
      if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
      await admin.run(`SET threads = ${threads}`);
      await ensureSchema(admin, opts.path ?? ':memory:', opts.logger);
      const interner = new Interner(opts.maxNames);
      await interner.load(admin);
      const checkpointThreads = Math.max(threads, availableParallelism());
      const checkpoint = opts.path ? { walPath: walPathOf(opts.path), bytes: checkpointBytes, threads, checkpointThreads } : undefined;
      const writer = await GroupWriter.create(connect, interner, { logger: opts.logger, recentSpans: opts.recentSpans, checkpoint });
      const pool = await ConnectionPool.create(connect, Math.max(1, opts.readers ?? 3));
      opts.logger?.info({ path: opts.path ?? ':memory:' }, 'duckdb store open');
      return new DuckDbStore(db, admin, pool, writer, interner, opts.path, opts.logger);
    } catch (err) {
      db.closeSync();
      throw err;
    }
  }

  /** Transactions committed so far (each holds one group of concurrent writes). */
  get commits(): number {
    return this.writer.commits;
  }

  write(spans: Span[]): Promise<void> {
    return this.writer.write(spans);
  }

  /**
   * Stores an OTLP/protobuf request decoded off the event loop (ingest-worker.ts), resolving
   * true once it is committed; false when the request is not one the worker can take alone
   * (malformed, with rejected spans, or needing dictionary entries not stored yet): the caller
   * then decodes it and calls write(), as for any receiver.
   */
  async writeOtlpProto(body: Uint8Array): Promise<boolean> {
    if (this.closed) return false;
    const workers = this.ingestWorkers;
    if (!workers.length) {
      const known = this.interner.snapshot();
      for (let i = 0; i < INGEST_WORKERS; i++) workers.push(IngestWorker.start(known, this.logger));
      this.writer.onInterned = (rows) => workers.forEach((w) => w.interned(rows));
    }
    const worker = workers[this.nextWorker++ % workers.length]!;
    const rows = await worker.rows(body);
    if (!rows) return false;
    try {
      await this.writer.writeRows(rows, body);
    } finally {
      worker.recycle(rows);
    }
    return true;
  }

  async getTrace(traceId: string): Promise<Span[]> {
    const id = traceId.toLowerCase();
    if (!isHex(id, 32)) return [];
    const tid = hexToInt(id);
    return this.pool.use(async (c) => {
      const range = (await c.runAndReadAll(`SELECT min(start_min), max(start_max) FROM traces WHERE trace_id = ${tid}::UHUGEINT`)).getRows()[0];
      if (!range || range[0] === null) return [];
      const rows = await c.runAndReadAll(
        `SELECT ${SPAN_SELECT} FROM spans WHERE start_ns BETWEEN ${range[0]} AND ${range[1]} AND trace_id = ${tid}::UHUGEINT`,
      );
      return rows.getRows().map((r) => rowToSpan(r, this.interner));
    });
  }

  async getServices(): Promise<string[]> {
    const rows = await this.pool.use((c) => c.runAndReadAll(`SELECT DISTINCT svc FROM spans`));
    return rows.getRows().map((r) => this.interner.names.textOf(Number(r[0]))).sort();
  }

  async getOperations(service: string, spanKind?: string): Promise<Operation[]> {
    const rows = await this.pool.use((c) => c.runAndReadAll(`SELECT DISTINCT op, name, kind FROM spans WHERE ${serviceCond(service, this.interner)}`));
    return rows
      .getRows()
      .map((r) => ({ name: spanName(r[0]!, r[1]!, this.interner), spanKind: spanKindName(Number(r[2])) }))
      .filter((o) => !spanKind || o.spanKind === spanKind)
      .sort(operationOrder);
  }

  /**
   * Newest first, so the search looks at the newest slice of the time range first and widens it
   * 8x at a time until it has `limit` traces. That is exact: a trace found in [t, end] has its
   * newest matching span there, and one not found has all its matches before t.
   */
  async findTraceIds(query: TraceQuery): Promise<string[]> {
    const limit = Math.max(0, Math.floor(query.limit));
    if (!limit) return [];
    return this.pool.use(async (c) => {
      const bounds = (await c.runAndReadAll(`SELECT min(start_min), max(start_max) FROM traces`)).getRows()[0];
      if (!bounds || bounds[0] === null) return [];
      const lo = maxBig(query.startTimeMinNs ?? (bounds[0] as bigint), bounds[0] as bigint);
      const hi = minBig(query.startTimeMaxNs ?? (bounds[1] as bigint), bounds[1] as bigint);
      if (lo > hi) return [];
      let width = (hi - lo) / 512n;
      for (;;) {
        const from = width > 0n && hi - width > lo ? hi - width : lo;
        const { where, params } = searchConditions({ ...query, startTimeMinNs: from, startTimeMaxNs: hi }, this.interner);
        const sql = `SELECT trace_id, max(start_ns) AS newest FROM spans WHERE ${where} GROUP BY trace_id ORDER BY newest DESC, trace_id LIMIT ${limit}`;
        const rows = (await c.runAndReadAll(sql, params)).getRows();
        if (rows.length >= limit || from === lo) return rows.map((r) => (r[0] as bigint).toString(16).padStart(32, '0'));
        width *= 8n;
      }
    });
  }

  /** Split by trace over the reader connections, which run in parallel. */
  async getDependencies(startNs: bigint, endNs: bigint): Promise<DependencyLink[]> {
    const parts = this.pool.size;
    const results = await Promise.all(
      Array.from({ length: parts }, (_, i) => this.pool.use((c) => c.runAndReadAll(dependenciesSql(startNs, endNs, i, parts)))),
    );
    const links = new Map<string, DependencyLink>();
    const { names } = this.interner;
    for (const r of results) {
      for (const [parent, child, calls, errors] of r.getRows()) {
        const key = `${parent} ${child}`;
        const link = links.get(key) ?? { parent: names.textOf(Number(parent)), child: names.textOf(Number(child)), callCount: 0, errorCount: 0 };
        link.callCount += Number(calls);
        link.errorCount += Number(errors);
        links.set(key, link);
      }
    }
    return [...links.values()].sort((a, b) => ascending(a.parent, b.parent) || ascending(a.child, b.child));
  }

  /** Split into runs of whole buckets over the reader connections, which run in parallel. */
  async getRedMetrics(query: RedQuery): Promise<RedPoint[]> {
    const parts = redParts(query, this.pool.size).map(([from, to]) => this.pool.use((c) => c.runAndReadAll(redSql(query, this.interner, from, to))));
    const points: RedPoint[] = [];
    for (const r of await Promise.all(parts)) {
      for (const row of r.getRows()) {
        points.push({
          operation: query.groupByOperation ? spanName(row[0]!, row[1]!, this.interner) : '',
          bucketStartNs: query.startNs + (row[2] as bigint) * query.stepNs,
          calls: Number(row[3]),
          errors: Number(row[4]),
          latencyNs: ((row[5] as { items: unknown[] } | null)?.items ?? []).map(Number),
        });
      }
    }
    return points.sort(redPointOrder);
  }

  async purgeBefore(cutoffNs: bigint): Promise<number> {
    // Through the writer's connection would serialise with ingest; a separate one is fine as
    // DuckDB's MVCC lets a delete and appends of new (later) spans commit side by side.
    return this.pool.use(async (c) => {
      await c.run('BEGIN');
      try {
        const r = await c.run(`DELETE FROM spans WHERE start_ns < ${cutoffNs}`);
        await c.run(`DELETE FROM traces WHERE start_max < ${cutoffNs}`);
        await c.run('COMMIT');
        return r.rowsChanged;
      } catch (err) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /**
   * Deletes the oldest spans until the blocks in use fit in maxBytes; returns how many went.
   * DuckDB frees blocks only at a CHECKPOINT, and reuses them for new data rather than shrinking
   * the file, so the file keeps its high-water size while its used part stays under the bound.
   */
  async purgeToSize(maxBytes: number): Promise<number> {
    let purged = 0;
    let lastUsed = Infinity;
    for (let round = 0; round < 8; round++) {
      await this.checkpoint();
      const used = await this.usedBytes();
      if (used <= maxBytes) break;
      // Blocks come free only when whole row groups (~123k spans) empty out; when a round freed
      // nothing, deleting more would lose data without shrinking anything yet.
      if (used >= lastUsed) break;
      lastUsed = used;
      const fraction = Math.min(0.5, Math.max(0.02, 1 - (0.9 * maxBytes) / used));
      const q = await this.pool.use((c) => c.runAndReadAll(`SELECT quantile_disc(start_ns, ${fraction}) FROM spans`));
      const cutoff = q.getRows()[0]?.[0];
      if (cutoff === null || cutoff === undefined) break;
      const n = await this.purgeBefore((cutoff as bigint) + 1n);
      purged += n;
      this.logger?.info({ used, maxBytes, purged: n }, 'duckdb store: purged oldest spans to fit the size bound');
      if (n === 0) break;
    }
    return purged;
  }

  /** Bytes of the blocks in use plus the WAL: the part of the file retention bounds. */
  async usedBytes(): Promise<number> {
    const r = await this.pool.use((c) => c.runAndReadAll(`SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = current_database()`));
    const row = r.getRows()[0];
    return row ? Number(row[0]) * Number(row[1]) + (await this.walBytes()) : 0;
  }

  /** Runs between the writer's groups (writer.ts says why). */
  checkpoint(): Promise<void> {
    return this.writer.checkpoint();
  }

  async stats(): Promise<StoreStats> {
    const r = await this.pool.use((c) => c.runAndReadAll(`SELECT count(*) FROM spans`));
    return { spans: Number(r.getRows()[0]![0]), bytes: await this.fileBytes() };
  }

  /** Size of the database file plus its WAL (0 in memory). */
  async fileBytes(): Promise<number> {
    if (!this.path) return 0;
    const main = await stat(this.path).then((s) => s.size, () => 0);
    return main + (await this.walBytes());
  }

  private async walBytes(): Promise<number> {
    return this.path ? stat(walPathOf(this.path)).then((s) => s.size, () => 0) : 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writer.closed = true;
    await this.writer.drain();
    await Promise.all(this.ingestWorkers.map((w) => w.close()));
    await this.checkpoint().catch((err: unknown) => this.logger?.warn({ err }, 'duckdb store: checkpoint at close failed'));
    this.pool.closeAll();
    this.admin.closeSync();
    this.writer.closeConnection();
    this.db.closeSync();
  }
}

/** DuckDB's "Could not set lock on file" as users read it: which directory, held by whom. */
function explainLocked(err: unknown, path: string | undefined): unknown {
  const text = err instanceof Error ? err.message : String(err);
  if (!path || !text.includes('Could not set lock on file')) return err;
  const pid = /\(PID (\d+)\)/.exec(text)?.[1];
  return new Error(
    `${dirname(path)} is in use by another process${pid ? ` (PID ${pid})` : ''}: is a skein serve already running on it? Stop that one, or give this one another --data`,
    { cause: err },
  );
}
