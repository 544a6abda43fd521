/**
 * Group commit for the DuckDB store: concurrent write() calls queue up, and one flusher loop
 * stores everything queued so far in one transaction, so many requests share one WAL fsync.
 *
 * Per group: rows go through the Appender into a TEMP staging table (the only synchronous work,
 * sliced so the event loop keeps turning), then async SQL on DuckDB's threads copies them into
 * `spans` minus exact duplicates of stored spans (dedupe at write), records each trace's
 * start-time range, and COMMITs. DuckDB writes and fsyncs its WAL before COMMIT returns, so a
 * resolved write() survives kill -9.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { Span } from '@skein/model';
import type { Logger } from 'pino';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { encodeAttributes, encodeExtra } from './codec.js';
import type { Interner } from './interner.js';

const TRACE_RE = /^[0-9a-f]{32}$/;
const SPAN_RE = /^[0-9a-f]{16}$/;
/** Synchronous append work allowed between yields to the event loop, ms. */
const SLICE_MS = 4;
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
    private readonly logger?: Logger,
  ) {}

  static async create(conn: DuckDBConnection, interner: Interner, logger?: Logger): Promise<GroupWriter> {
    await conn.run(`CREATE TEMP TABLE IF NOT EXISTS pending AS SELECT * FROM spans LIMIT 0`);
    return new GroupWriter(conn, interner, logger);
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
    await c.run('BEGIN');
    try {
      let min: bigint | undefined;
      let max: bigint | undefined;
      const app = await c.createAppender('pending', 'main', 'temp');
      let sliceStart = performance.now();
      let rows = 0;
      for (const p of group) {
        for (const s of p.spans) {
          appendSpan(app, s, this.interner);
          if (min === undefined || s.startTimeUnixNano < min) min = s.startTimeUnixNano;
          if (max === undefined || s.startTimeUnixNano > max) max = s.startTimeUnixNano;
          // Flushing converts the buffered rows synchronously; doing it per vector (2048 rows)
          // keeps each stall to a few ms instead of one long one at close.
          if ((++rows & 2047) === 0) app.flushSync();
          if ((rows & 255) === 0 && performance.now() - sliceStart > SLICE_MS) {
            await yieldToLoop();
            sliceStart = performance.now();
          }
        }
      }
      app.closeSync();
      for (const r of this.interner.pendingResources) {
        await c.run(`INSERT INTO resources VALUES ($1, $2, $3, $4, $5)`, [r.id, r.service, r.attrs, r.resource.droppedAttributesCount, r.resource.schemaUrl]);
      }
      for (const e of this.interner.pendingScopes) {
        const s = e.scope;
        await c.run(`INSERT INTO scopes VALUES ($1, $2, $3, $4, $5, $6)`, [e.id, s.name, s.version, encodeAttributes(s.attributes), s.droppedAttributesCount, s.schemaUrl]);
      }
      // A duplicate has the same start time as its original, so the probe reads only the row
      // groups whose start-time zonemaps overlap this group's range.
      await c.run(`INSERT INTO spans SELECT DISTINCT * FROM pending p WHERE NOT EXISTS (
        SELECT 1 FROM spans s WHERE s.start_ns BETWEEN ${min} AND ${max}
          AND s.trace_id = p.trace_id AND s.span_id = p.span_id AND s.start_ns = p.start_ns
          AND s.dur_ns = p.dur_ns AND s.parent_id IS NOT DISTINCT FROM p.parent_id
          AND s.name = p.name AND s.kind = p.kind AND s.status = p.status AND s.status_msg = p.status_msg
          AND s.flags = p.flags AND s.res_id = p.res_id AND s.scope_id = p.scope_id
          AND s.attrs = p.attrs AND s.extra IS NOT DISTINCT FROM p.extra)`);
      await c.run(`INSERT INTO traces SELECT trace_id, min(start_ns), max(start_ns) FROM pending GROUP BY trace_id`);
      await c.run(`DELETE FROM pending`);
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

function checkIds(s: Span): void {
  if (!TRACE_RE.test(s.traceId)) throw new Error(`span ${JSON.stringify(s.name)}: trace id ${JSON.stringify(s.traceId)} is not 32 lowercase hex digits`);
  if (!SPAN_RE.test(s.spanId)) throw new Error(`span ${JSON.stringify(s.name)}: span id ${JSON.stringify(s.spanId)} is not 16 lowercase hex digits`);
  if (s.parentSpanId !== '' && !SPAN_RE.test(s.parentSpanId)) {
    throw new Error(`span ${JSON.stringify(s.name)}: parent span id ${JSON.stringify(s.parentSpanId)} is not '' or 16 lowercase hex digits`);
  }
}

/** Appends one span in SPAN_COLUMNS order. */
function appendSpan(app: DuckDBAppender, s: Span, interner: Interner): void {
  app.appendUHugeInt(BigInt('0x' + s.traceId));
  app.appendUBigInt(BigInt('0x' + s.spanId));
  if (s.parentSpanId === '') app.appendNull();
  else app.appendUBigInt(BigInt('0x' + s.parentSpanId));
  app.appendBigInt(s.startTimeUnixNano);
  app.appendBigInt(s.endTimeUnixNano - s.startTimeUnixNano);
  const res = interner.resourceEntry(s.resource);
  app.appendVarchar(res.service);
  app.appendVarchar(s.name);
  app.appendUTinyInt(s.kind);
  app.appendUTinyInt(s.status.code);
  app.appendVarchar(s.status.message);
  app.appendUInteger(s.flags >>> 0);
  app.appendInteger(res.id);
  app.appendInteger(interner.scopeId(s.scope));
  app.appendVarchar(encodeAttributes(s.attributes));
  const extra = encodeExtra(s);
  if (extra === null) app.appendNull();
  else app.appendVarchar(extra);
  app.endRow();
}
