/**
 * Group commit for the DuckDB store: concurrent write() calls queue up, and one flusher loop
 * stores everything queued so far in one transaction, so many requests share one WAL fsync.
 *
 * Per group: spans the file cannot hold yet (SpanKeySet) in traces without repeated ids in the
 * group cannot be duplicates, so their rows go straight into `spans` as columnar DataChunks
 * (span-chunk.ts; the only synchronous work, a chunk at a time between yields). The rest go into
 * a TEMP staging table and async SQL copies them minus exact duplicates. Then each trace's
 * start-time range goes into `traces`, and COMMIT: DuckDB writes and fsyncs its WAL before
 * COMMIT returns, so a resolved write() survives kill -9.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Span } from '@skein/model';
import type { Logger } from 'pino';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { encodeAttributes, encodeExtra } from './codec.js';
import type { Interner } from './interner.js';
import { isHex } from './hex.js';
import { SpanChunk } from './span-chunk.js';
import { SpanKeySet, spanKeyIn, traceWords } from './span-keys.js';

/** Synchronous append work allowed between yields to the event loop, ms. */
const SLICE_MS = 4;
/** Rows handed to DuckDB per synchronous append (~3 ms of work), then the loop may yield. */
const SLICE_ROWS = 512;
/** Upper bound on spans per commit; a bigger queue is committed in several groups. */
const MAX_GROUP = 50_000;

interface Pending {
  spans: Span[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupWriter {
  private queue: Pending[] = [];
  private running = false;
  private current: Promise<void> | undefined;
  /** Transactions committed; tests read it to see that writes were grouped. */
  commits = 0;
  /** Set by close(): further writes are refused. */
  closed = false;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly interner: Interner,
    private readonly known: SpanKeySet,
    private readonly logger?: Logger,
  ) {}

  private readonly fastChunk = new SpanChunk();
  private readonly slowChunk = new SpanChunk();

  static async create(conn: DuckDBConnection, interner: Interner, logger?: Logger, recentSpans?: number): Promise<GroupWriter> {
    await conn.run(`CREATE TEMP TABLE IF NOT EXISTS pending AS SELECT * FROM spans LIMIT 0`);
    const known = new SpanKeySet(recentSpans);
    await known.load(conn);
    return new GroupWriter(conn, interner, known, logger);
  }

  write(spans: Span[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the DuckDB store is closed'));
    if (spans.length === 0) return Promise.resolve();
    try {
      for (const s of spans) checkIds(s);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ spans, resolve, reject });
      if (!this.running) this.current = this.loop();
    });
  }

  closeConnection(): void {
    this.conn.closeSync();
  }

  /** Resolves once everything queued so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.current) await this.current;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const group: Pending[] = [];
        let n = 0;
        while (this.queue.length && (n === 0 || n + this.queue[0]!.spans.length <= MAX_GROUP)) {
          const p = this.queue.shift()!;
          group.push(p);
          n += p.spans.length;
        }
        try {
          await this.commitGroup(group);
          for (const p of group) p.resolve();
        } catch (err) {
          this.logger?.error({ err, spans: n }, 'duckdb store: commit failed');
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.running = false;
      this.current = undefined;
    }
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    const c = this.conn;
    // Pass 1: per trace, its start range and whether any span of it could be a duplicate.
    const traces = new Map<string, TraceAcc>();
    const floor = this.known.floorNs;
    const accs: TraceAcc[] = [];
    const keys: number[] = [];
    let slowSpans = 0;
    for (const p of group) {
      for (const s of p.spans) {
        let acc = traces.get(s.traceId);
        if (acc === undefined) {
          acc = { min: s.startTimeUnixNano, max: s.startTimeUnixNano, words: traceWords(s.traceId), slow: false, spanIds: new Set(), spans: 0 };
          traces.set(s.traceId, acc);
        } else {
          if (s.startTimeUnixNano < acc.min) acc.min = s.startTimeUnixNano;
          if (s.startTimeUnixNano > acc.max) acc.max = s.startTimeUnixNano;
        }
        const key = spanKeyIn(acc.words, s.spanId);
        if (!acc.slow) {
          if (acc.spanIds.has(s.spanId) || s.startTimeUnixNano < floor || this.known.has(key)) acc.slow = true;
          else acc.spanIds.add(s.spanId);
        }
        acc.spans++;
        accs.push(acc);
        keys.push(key);
      }
    }
    for (const acc of traces.values()) if (acc.slow) slowSpans += acc.spans;

    await c.run('BEGIN');
    try {
      // Pass 2: spans of traces never stored and without repeated ids in this group cannot be
      // duplicates, so they go straight into `spans`; the rest into the staging table.
      const fast = await c.createAppender('spans');
      const slow = slowSpans ? await c.createAppender('pending', 'main', 'temp') : undefined;
      let slowMin: bigint | undefined;
      let slowMax: bigint | undefined;
      let sliceStart = performance.now();
      let i = 0;
      for (const p of group) {
        for (const s of p.spans) {
          const acc = accs[i++]!;
          const chunk = acc.slow ? this.slowChunk : this.fastChunk;
          const res = this.interner.resourceEntry(s.resource);
          chunk.add(s, res.service, res.id, this.interner.scopeId(s.scope), encodeAttributes(s.attributes), encodeExtra(s));
          if (acc.slow) {
            if (slowMin === undefined || s.startTimeUnixNano < slowMin) slowMin = s.startTimeUnixNano;
            if (slowMax === undefined || s.startTimeUnixNano > slowMax) slowMax = s.startTimeUnixNano;
          }
          if (chunk.rows >= SLICE_ROWS) {
            // Flushing moves the rows into the table synchronously; a chunk at a time keeps each
            // stall to a few ms instead of one long one at close.
            const app = acc.slow ? slow! : fast;
            chunk.appendTo(app);
            app.flushSync();
            if (performance.now() - sliceStart > SLICE_MS) {
              await yieldToLoop();
              sliceStart = performance.now();
            }
          }
        }
      }
      this.fastChunk.appendTo(fast);
      fast.closeSync();
      if (slow) {
        this.slowChunk.appendTo(slow);
        slow.closeSync();
      }
      const tr = await c.createAppender('traces');
      for (const [id, acc] of traces) {
        tr.appendUHugeInt(BigInt('0x' + id));
        tr.appendBigInt(acc.min);
        tr.appendBigInt(acc.max);
        tr.endRow();
      }
      tr.closeSync();
      for (const r of this.interner.pendingResources) {
        await c.run(`INSERT INTO resources VALUES ($1, $2, $3, $4, $5)`, [r.id, r.service, r.attrs, r.resource.droppedAttributesCount, r.resource.schemaUrl]);
      }
      for (const e of this.interner.pendingScopes) {
        const s = e.scope;
        await c.run(`INSERT INTO scopes VALUES ($1, $2, $3, $4, $5, $6)`, [e.id, s.name, s.version, encodeAttributes(s.attributes), s.droppedAttributesCount, s.schemaUrl]);
      }
      if (slow) {
        // A duplicate has the same start time as its original, so the probe reads only the row
        // groups whose start-time zonemaps overlap these spans' range.
        await c.run(`INSERT INTO spans SELECT DISTINCT * FROM pending p WHERE NOT EXISTS (
          SELECT 1 FROM spans s WHERE s.start_ns BETWEEN ${slowMin} AND ${slowMax}
            AND s.trace_id = p.trace_id AND s.span_id = p.span_id AND s.start_ns = p.start_ns
            AND s.dur_ns = p.dur_ns AND s.parent_id IS NOT DISTINCT FROM p.parent_id
            AND s.name = p.name AND s.kind = p.kind AND s.status = p.status AND s.status_msg = p.status_msg
            AND s.flags = p.flags AND s.res_id = p.res_id AND s.scope_id = p.scope_id
            AND s.attrs = p.attrs AND s.extra IS NOT DISTINCT FROM p.extra)`);
        await c.run(`DELETE FROM pending`);
      }
      // Before COMMIT: if COMMIT fails after all, a trace marked known only costs a slow probe.
      i = 0;
      for (const p of group) for (const s of p.spans) this.known.add(keys[i++]!, s.startTimeUnixNano);
      await c.run('COMMIT');
      this.interner.commit();
      this.commits++;
    } catch (err) {
      this.interner.rollback();
      await c.run('ROLLBACK').catch(() => undefined);
      await c.run('DELETE FROM pending').catch(() => undefined);
      throw err;
    }
  }
}

interface TraceAcc {
  min: bigint;
  max: bigint;
  /** The trace id's words, for span keys. */
  words: number[];
  /** A span of it may duplicate a stored one or another in the group: dedupe in SQL. */
  slow: boolean;
  spanIds: Set<string>;
  spans: number;
}

function checkIds(s: Span): void {
  if (!isHex(s.traceId, 32)) throw new Error(`span ${JSON.stringify(s.name)}: trace id ${JSON.stringify(s.traceId)} is not 32 lowercase hex digits`);
  if (!isHex(s.spanId, 16)) throw new Error(`span ${JSON.stringify(s.name)}: span id ${JSON.stringify(s.spanId)} is not 16 lowercase hex digits`);
  if (s.parentSpanId !== '' && !isHex(s.parentSpanId, 16)) {
    throw new Error(`span ${JSON.stringify(s.name)}: parent span id ${JSON.stringify(s.parentSpanId)} is not '' or 16 lowercase hex digits`);
  }
}
