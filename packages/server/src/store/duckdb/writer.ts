/**
 * Group commit for the DuckDB store: concurrent write() calls queue up, and one flusher loop
 * stores everything queued so far in one transaction, so many requests share one WAL fsync.
 *
 * Per group: spans the file cannot hold yet (span-keys.ts) in traces without repeated ids in the
 * group cannot be duplicates, so their rows go straight into `spans` as columnar DataChunks
 * (span-chunk.ts; the only synchronous work, a chunk at a time between yields). The rest go into
 * a TEMP staging table and async SQL copies them minus exact duplicates. Rows an ingest worker
 * built (worker-rows.ts) go straight into `spans` the same way, unless their spans may repeat
 * stored ones: then the request is decoded here and planned with the rest. Then each trace's
 * start-time range goes into `traces`, and COMMIT: DuckDB writes and fsyncs its WAL before
 * COMMIT returns, so a resolved write() survives kill -9. Two connections take turns, so one
 * group is appended while the previous one commits.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { decodeOtlpProto, type Span } from '@skein/model';
import type { Logger } from 'pino';
import { statSync } from 'node:fs';
import { AttributeBytes } from './attr-bytes.js';
import { encodeExtra } from './codec.js';
import type { Interner } from './interner.js';
import { checkSpanIds } from '../hex.js';
import { CHUNK_ROWS, SpanChunk } from './span-chunk.js';
import { KeySet } from './span-keys.js';
import { planGroup, type Remembered } from './group-plan.js';
import { Slicer } from './slicer.js';
import type { InternedRows } from './interner.js';
import { columnOffsets, RowsChunk, type WorkerRows } from './worker-rows.js';

/** Upper bound on spans per commit; a bigger queue is committed in several groups. */
const MAX_GROUP = 50_000;
/**
 * Transactions in flight at once. A COMMIT (WAL write + fsync) runs on DuckDB's thread while the
 * next group is appended on another connection, so the main thread does not wait for the disk.
 */
const LANES = 2;

/** When the writer checkpoints: once the WAL file at walPath has reached bytes. */
export interface CheckpointPolicy {
  walPath: string;
  bytes: number;
  /** DuckDB's threads setting, restored after each checkpoint. */
  threads: number;
  /** DuckDB's threads during a checkpoint: writes wait for it, so the cores they leave idle help. */
  checkpointThreads: number;
}

interface Pending {
  /** Empty while the write is `rows` built by the ingest worker. */
  spans: Span[];
  rows?: WorkerRows;
  /** The request `rows` came from, decoded here if its spans may repeat stored ones. */
  body?: Uint8Array;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** One writer connection with its own staging table, chunks, and the commit it has in flight. */
interface Lane {
  conn: DuckDBConnection;
  /**
   * Appenders kept for the connection's life: each flush appends to the transaction open at
   * the time. Creating them per group waited on DuckDB's thread while the other lane committed.
   */
  spansAppender: DuckDBAppender;
  tracesAppender: DuckDBAppender;
  fast: SpanChunk;
  slow: SpanChunk;
  workerRows: RowsChunk;
  committing: Promise<void>;
}

export class GroupWriter {
  private queue: Pending[] = [];
  private running = false;
  private current: Promise<void> | undefined;
  private nextLane = 0;
  /** The group being appended, if any: a checkpoint waits for it. */
  private appending: Promise<void> | undefined;
  /** The checkpoint running, if any: appends wait for it. */
  private checkpointing: Promise<void> | undefined;
  /** Transactions committed; tests read it to see that writes were grouped. */
  commits = 0;
  /** Set by close(): further writes are refused. */
  closed = false;
  /** Told of dictionary entries once they are stored (the ingest worker's copy). */
  onInterned: ((rows: InternedRows) => void) | undefined;
  /** Encodes the attributes of one group at a time: its views are in DuckDB before the next plan. */
  private readonly attrBytes: AttributeBytes;

  private constructor(
    private readonly lanes: Lane[],
    private readonly interner: Interner,
    private readonly known: Remembered,
    private readonly policy?: CheckpointPolicy,
    private readonly logger?: Logger,
  ) {
    this.attrBytes = new AttributeBytes(interner.keys);
  }

  static async create(
    connect: () => Promise<DuckDBConnection>,
    interner: Interner,
    opts: { logger?: Logger; recentSpans?: number; checkpoint?: CheckpointPolicy } = {},
  ): Promise<GroupWriter> {
    const { logger, recentSpans } = opts;
    const lanes: Lane[] = [];
    for (let i = 0; i < LANES; i++) {
      const conn = await connect();
      // TEMP tables belong to their connection, so each lane stages its own suspects.
      await conn.run(`CREATE TEMP TABLE IF NOT EXISTS pending AS SELECT * FROM spans LIMIT 0`);
      lanes.push({
        conn,
        spansAppender: await conn.createAppender('spans'),
        tracesAppender: await conn.createAppender('traces'),
        fast: new SpanChunk(),
        slow: new SpanChunk(),
        workerRows: new RowsChunk(),
        committing: Promise.resolve(),
      });
    }
    const spans = new KeySet(recentSpans);
    const traces = new KeySet(Math.max(1, Math.floor((recentSpans ?? 1 << 21) / 2)));
    await spans.load(lanes[0]!.conn, 'spans');
    await traces.load(lanes[0]!.conn, 'traces');
    const known = { spans, traces };
    return new GroupWriter(lanes, interner, known, opts.checkpoint, logger);
  }

  async write(spans: Span[]): Promise<void> {
    if (this.closed) throw new Error('the DuckDB store is closed');
    if (spans.length === 0) return;
    for (const s of spans) checkSpanIds(s);
    return new Promise((resolve, reject) => {
      this.queue.push({ spans, resolve, reject });
      if (!this.running) this.current = this.loop();
    });
  }

  /** Stores rows the ingest worker built from `body` (an OTLP/protobuf request). */
  writeRows(rows: WorkerRows, body: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the DuckDB store is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ spans: [], rows, body, resolve, reject });
      if (!this.running) this.current = this.loop();
    });
  }

  closeConnection(): void {
    for (const l of this.lanes) {
      l.spansAppender.closeSync();
      l.tracesAppender.closeSync();
      l.conn.closeSync();
    }
  }

  /** Resolves once everything queued so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.current) await this.current;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      // Writes may queue while the last commits finish, so look again after waiting for them.
      do {
        while (this.queue.length) await this.nextGroup();
        await Promise.all(this.lanes.map((l) => l.committing));
      } while (this.queue.length);
    } finally {
      this.running = false;
      this.current = undefined;
    }
  }

  /**
   * Checkpoints between groups, never beside an append. While DuckDB checkpoints it holds the
   * `spans` table, and an appender's flush (synchronous, on the event loop) waited for it: with
   * DuckDB's own checkpoint, run inside the COMMIT that crossed its threshold, the event loop
   * froze for 1.5-1.8 s per 256MB of WAL, and queries and /healthz with it. Here the writes
   * queue while it runs; everything else keeps answering.
   */
  checkpoint(): Promise<void> {
    this.checkpointing ??= (async () => {
      try {
        await this.appending;
        await Promise.all(this.lanes.map((l) => l.committing));
        // FORCE waits for the checkpoint lock instead of failing; queries keep running meanwhile.
        const t0 = performance.now();
        const c = this.lanes[0]!.conn;
        const { threads, checkpointThreads } = this.policy ?? {};
        const widen = checkpointThreads !== threads;
        if (widen) await c.run(`SET threads = ${checkpointThreads}`);
        try {
          await c.run('FORCE CHECKPOINT');
        } finally {
          if (widen) await c.run(`SET threads = ${threads}`);
        }
        this.logger?.info({ ms: Math.round(performance.now() - t0) }, 'duckdb store: checkpoint');
      } finally {
        this.checkpointing = undefined;
      }
    })();
    return this.checkpointing;
  }

  private checkpointDue(): boolean {
    if (!this.policy) return false;
    try {
      return statSync(this.policy.walPath).size >= this.policy.bytes;
    } catch {
      return false; // no WAL yet
    }
  }

  /**
   * Appends the next queued group on the next lane and leaves its COMMIT running. A queue of
   * more than a chunk per lane is shared between the lanes, so one part is appended while the
   * other commits: writers that each wait for their commit (a closed loop) would otherwise all
   * land in one group, and the event loop would sit idle through its COMMIT.
   */
  private async nextGroup(): Promise<void> {
    const group: Pending[] = [];
    let n = 0;
    let queued = 0;
    for (const p of this.queue) queued += size(p);
    const limit = queued >= LANES * CHUNK_ROWS ? Math.min(MAX_GROUP, Math.ceil(queued / LANES)) : MAX_GROUP;
    while (this.queue.length && (n === 0 || n + size(this.queue[0]!) <= limit)) {
      const p = this.queue.shift()!;
      group.push(p);
      n += size(p);
    }
    const lane = this.lanes[this.nextLane]!;
    this.nextLane = (this.nextLane + 1) % this.lanes.length;
    await lane.committing;
    if (this.checkpointDue()) void this.checkpoint().catch((err: unknown) => this.logger?.warn({ err }, 'duckdb store: checkpoint failed'));
    // A checkpoint due or asked for (retention by size, close) goes first; from the last check
    // to setting `appending` nothing yields, so none can start in between.
    while (this.checkpointing) await this.checkpointing.catch(() => undefined);
    const appending = this.appendGroup(lane, group);
    this.appending = appending.catch(() => undefined);
    try {
      await appending;
      // The next group is appended on the other lane while this one commits.
      lane.committing = this.commit(lane, group, n);
    } catch (err) {
      this.fail(group, n, err);
    } finally {
      this.appending = undefined;
    }
  }

  private fail(group: Pending[], spans: number, err: unknown): void {
    this.logger?.error({ err, spans }, 'duckdb store: commit failed');
    for (const p of group) p.reject(err);
  }

  /** Never rejects: the group's writers learn the outcome. */
  private async commit(lane: Lane, group: Pending[], n: number): Promise<void> {
    try {
      await lane.conn.run('COMMIT');
    } catch (err) {
      await lane.conn.run('ROLLBACK').catch(() => undefined);
      this.fail(group, n, err);
      return;
    }
    this.commits++;
    for (const p of group) p.resolve();
  }

  /**
   * After a failed append the appenders may hold rows of the failed group. Closing an appender
   * flushes it (so does its finalizer), so they are closed while the doomed transaction is still
   * open, and the lane gets new ones after the rollback.
   */
  private async abandon(lane: Lane, slow: DuckDBAppender | undefined): Promise<void> {
    lane.fast.clear();
    lane.slow.clear();
    lane.workerRows.clear();
    for (const a of [lane.spansAppender, lane.tracesAppender, slow]) {
      try {
        a?.closeSync();
      } catch {
        // its rows are what we are throwing away
      }
    }
    await lane.conn.run('ROLLBACK').catch(() => undefined);
    await lane.conn.run('DELETE FROM pending').catch(() => undefined);
    try {
      lane.spansAppender = await lane.conn.createAppender('spans');
      lane.tracesAppender = await lane.conn.createAppender('traces');
    } catch {
      // the next group on this lane fails on the closed appenders and tries again
    }
  }

  /**
   * Stores resources, scopes, names and attribute keys first seen in this group, in their own
   * commit: a group on the other lane may use them too, so they must not depend on this group's
   * transaction.
   */
  private async storeInterned(c: DuckDBConnection): Promise<void> {
    const { pendingResources, pendingScopes, keys, names } = this.interner;
    if (!pendingResources.length && !pendingScopes.length && !keys.dictionary.pending.length && !names.pending.length) return;
    try {
      await c.run('BEGIN');
      await keys.dictionary.store(c);
      await names.store(c);
      for (const r of pendingResources) {
        await c.run(`INSERT INTO resources VALUES ($1, $2, $3, $4, $5)`, [r.id, r.service, r.attrs, r.resource.droppedAttributesCount, r.resource.schemaUrl]);
      }
      for (const e of pendingScopes) {
        const s = e.scope;
        await c.run(`INSERT INTO scopes VALUES ($1, $2, $3, $4, $5, $6)`, [e.id, s.name, s.version, e.attrs, s.droppedAttributesCount, s.schemaUrl]);
      }
      const stored = this.interner.pendingRows();
      await c.run('COMMIT');
      this.interner.commit();
      this.onInterned?.(stored);
    } catch (err) {
      await c.run('ROLLBACK').catch(() => undefined);
      this.interner.rollback();
      throw err;
    }
  }

  /**
   * The group's writes of worker-built rows whose spans cannot repeat stored ones (the test
   * planGroup makes, span-keys.ts), remembered now so that later writes in the group that repeat
   * them take the probe. The others are decoded here and planned like any spans.
   */
  private takeRows(group: Pending[]): Pending[] {
    const { spans: knownSpans, traces: knownTraces } = this.known;
    const taken: Pending[] = [];
    for (const p of group) {
      const rows = p.rows;
      if (!rows) continue;
      // Start times as 32-bit halves, compared exactly with the floors: no BigInt per span.
      const starts = new Int32Array(rows.columns, columnOffsets(rows.n).start, rows.n * 2);
      const [spanFloorLo, spanFloorHi] = halves(knownSpans.floorNs);
      const [traceFloorLo, traceFloorHi] = halves(knownTraces.floorNs);
      let repeats = false;
      for (let i = 0; i < rows.n && !repeats; i++) {
        const lo = starts[i * 2]! >>> 0;
        const hi = starts[i * 2 + 1]!;
        repeats = knownTraces.has(rows.keys[i * 2 + 1]!)
          ? hi < spanFloorHi || (hi === spanFloorHi && lo < spanFloorLo) || knownSpans.has(rows.keys[i * 2]!)
          : hi < traceFloorHi || (hi === traceFloorHi && lo < traceFloorLo);
      }
      if (repeats) {
        // The worker decoded the same bytes and checked their ids.
        p.spans = decodeOtlpProto(p.body!).spans;
        p.rows = undefined;
        continue;
      }
      for (let i = 0; i < rows.n; i++) knownSpans.add(rows.keys[i * 2]!, starts[i * 2 + 1]! * 4294967296 + (starts[i * 2]! >>> 0));
      rows.traceKeys.forEach((key, k) => knownTraces.add(key, rows.traceStarts[k * 2 + 1]!));
      taken.push(p);
    }
    return taken;
  }

  /** Opens the lane's transaction and puts the group's rows in it; COMMIT is left to the caller. */
  private async appendGroup(lane: Lane, group: Pending[]): Promise<void> {
    const c = lane.conn;
    const slicer = new Slicer();
    const rowsWrites = this.takeRows(group);
    const { traces, accs, keys, resources, scopeIds, ops, attrs, slowSpans, slowMin, slowMax } = await planGroup(group, this.interner, this.known, slicer, this.attrBytes);
    await this.storeInterned(c);
    // The duplicate probe must see every earlier group, so it waits for commits in flight.
    if (slowSpans) await Promise.all(this.lanes.map((l) => l.committing));
    await c.run('BEGIN');
    let slow: DuckDBAppender | undefined;
    try {
      // Pass 2: spans of traces never stored and without repeated ids in this group cannot be
      // duplicates, so they go straight into `spans`; the rest into the staging table.
      const fast = lane.spansAppender;
      if (slowSpans) slow = await c.createAppender('pending', 'main', 'temp');
      for (const p of rowsWrites) {
        lane.workerRows.add(p.rows!, fast);
        if (slicer.due) await slicer.pause();
      }
      lane.workerRows.flush(fast);
      let i = 0;
      for (const p of group) {
        for (const s of p.spans) {
          const acc = accs[i]!;
          const chunk = acc.slow ? lane.slow : lane.fast;
          const res = resources[i]!;
          chunk.add(s, res.svc, ops[i], res.id, scopeIds[i]!, attrs[i]!, encodeExtra(s));
          i++;
          if (chunk.rows >= CHUNK_ROWS) {
            // Flushing moves the rows into the table synchronously; a chunk at a time keeps each
            // stall to a few ms instead of one long one at the end.
            const app = acc.slow ? slow! : fast;
            chunk.appendTo(app);
            app.flushSync();
            if (slicer.due) await slicer.pause();
          }
        }
      }
      lane.fast.appendTo(fast);
      fast.flushSync();
      if (slow) {
        lane.slow.appendTo(slow);
        slow.closeSync();
      }
      const tr = lane.tracesAppender;
      const traceRow = (id: string, min: bigint, max: bigint) => {
        tr.appendUHugeInt(BigInt('0x' + id));
        tr.appendBigInt(min);
        tr.appendBigInt(max);
        tr.endRow();
      };
      for (const [id, acc] of traces) traceRow(id, acc.min, acc.max);
      for (const { rows } of rowsWrites) rows!.traceIds.forEach((id, k) => traceRow(id, rows!.traceStarts[k * 2]!, rows!.traceStarts[k * 2 + 1]!));
      tr.flushSync();
      if (slow) {
        // A duplicate has the same start time as its original, so the probe reads only the row
        // groups whose start-time zonemaps overlap these spans' range.
        await c.run(`INSERT INTO spans SELECT DISTINCT * FROM pending p WHERE NOT EXISTS (
          SELECT 1 FROM spans s WHERE s.start_ns BETWEEN ${slowMin} AND ${slowMax}
            AND s.trace_id = p.trace_id AND s.span_id = p.span_id AND s.start_ns = p.start_ns
            AND s.dur_ns = p.dur_ns AND s.parent_id IS NOT DISTINCT FROM p.parent_id
            AND s.op IS NOT DISTINCT FROM p.op AND s.name IS NOT DISTINCT FROM p.name AND s.kind = p.kind AND s.status = p.status AND s.status_msg = p.status_msg
            AND s.flags = p.flags AND s.res_id = p.res_id AND s.scope_id = p.scope_id
            AND s.attrs = p.attrs AND s.extra IS NOT DISTINCT FROM p.extra)`);
        await c.run(`DELETE FROM pending`);
      }
      // Before COMMIT: if COMMIT fails after all, a trace marked known only costs a slow probe.
      i = 0;
      for (const p of group) for (const s of p.spans) this.known.spans.add(keys[i++]!, s.startTimeUnixNano);
      for (const acc of traces.values()) this.known.traces.add(acc.traceKey, acc.max);
    } catch (err) {
      await this.abandon(lane, slow);
      throw err;
    }
  }
}

const size = (p: Pending): number => p.rows?.n ?? p.spans.length;

/** A BIGINT's low (unsigned) and high (signed) 32 bits. */
const halves = (v: bigint): [number, number] => [Number(v & 0xffffffffn), Number(BigInt.asIntN(32, v >> 32n))];
