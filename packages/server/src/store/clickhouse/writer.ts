/**
 * Group commit into ClickHouse: concurrent write() calls queue, one flush at a time takes all
 * that is queued, drops exact duplicates (within the group, and those already stored: one probe
 * by trace id over the primary key), and INSERTs the rest as RowBinary in batches. Every caller
 * of the group resolves after ClickHouse acknowledged its INSERTs, so the spans are visible to
 * the next query. One flush at a time makes the probe see every earlier group of this process.
 */
import { hexToBytes, type Span } from '@skein/model';
import type { ClickHouseConnection } from './connection.js';
import { RowBinaryReader, RowBinaryWriter } from './row-binary.js';
import { checkIds, contentHash, rowKey, writeSpanRow } from './rows.js';
import { SPAN_COLUMNS } from './schema.js';
import { sqlString } from './sql.js';

/** Rows per INSERT: big enough for few parts, small enough to keep one request's body modest. */
export const INSERT_BATCH = 20_000;
/** Trace ids per probe: 1,000 literals of 68 characters stay well inside max_query_size (256 KiB). */
const PROBE_BATCH = 1_000;

interface Pending {
  spans: Span[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  /** INSERT statements sent (for tests and logs). */
  inserts = 0;

  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly db: string,
    private readonly batch = INSERT_BATCH,
  ) {}

  write(spans: Span[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    // Checked here, so a malformed span fails its own write and not the group it would join.
    try {
      for (const span of spans) checkIds(span);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ spans, resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  /** Resolves when everything queued so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const group = this.queue;
        this.queue = [];
        try {
          await this.flush(group.flatMap((p) => p.spans));
          for (const p of group) p.resolve();
        } catch (err) {
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async flush(spans: Span[]): Promise<void> {
    const fresh = new Map<string, { span: Span; fp: bigint }>();
    for (const span of spans) {
      const fp = contentHash(span);
      const key = rowKey(span.traceId, span.spanId, fp);
      if (!fresh.has(key)) fresh.set(key, { span, fp });
    }
    for (const key of await this.stored([...new Set(spans.map((s) => s.traceId))])) fresh.delete(key);
    const rows = [...fresh.values()];
    for (let i = 0; i < rows.length; i += this.batch) {
      const w = new RowBinaryWriter();
      for (const { span, fp } of rows.slice(i, i + this.batch)) writeSpanRow(w, span, fp);
      await this.conn.insert(`INSERT INTO ${this.db}.spans (${SPAN_COLUMNS.join(', ')}) FORMAT RowBinary`, w.finish());
      this.inserts++;
    }
  }

  /** Row keys already stored for these traces. */
  private async stored(traceIds: string[]): Promise<Set<string>> {
    const keys = new Set<string>();
    for (let i = 0; i < traceIds.length; i += PROBE_BATCH) {
      const list = traceIds.slice(i, i + PROBE_BATCH).map((t) => sqlString(hexToBytes(t)));
      const r = new RowBinaryReader(
        await this.conn.query(`SELECT trace_id, span_id, fp FROM ${this.db}.spans WHERE trace_id IN (${list.join(', ')}) FORMAT RowBinary`),
      );
      while (!r.done) keys.add(rowKey(r.fixed(16).toString('hex'), r.fixed(8).toString('hex'), r.uint64()));
    }
    return keys;
  }
}
