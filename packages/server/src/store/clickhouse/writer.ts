/**
 * Group commit into ClickHouse: concurrent write() calls queue, one flush at a time takes all
 * that is queued, drops exact duplicates (within the group, and those already stored), and
 * INSERTs the rest as RowBinary in batches: first their `trace_index` rows, then the spans.
 * Every caller of the group resolves after ClickHouse acknowledged its INSERTs, so the spans are
 * visible to the next query. One flush at a time makes the probe see every earlier group of
 * this process.
 *
 * The duplicate probe reads `trace_index` by trace id (primary key). A stored span with the same
 * content has the same trace, service, operation and start, so only spans whose trace already
 * has an index row covering that (service, operation, start) can be duplicates, and only those
 * are looked up in `spans`, in their key ranges. Index rows go in before the spans: a write that
 * fails between the two INSERTs leaves index rows pointing at nothing (harmless: an empty key
 * range read), never spans that getTrace cannot find; its retry finds no stored span and
 * inserts them.
 */
import { hexToBytes, type Span } from '@skein/model';
import type { ClickHouseConnection } from './connection.js';
import { RowBinaryReader, RowBinaryWriter } from './row-binary.js';
import { checkSpanIds } from '../hex.js';
import { rowKey, SpanRowEncoder, type SpanRow } from './rows.js';
import { DAY_NS, INDEX_COLUMNS, SPAN_COLUMNS } from './schema.js';
import { sqlString } from './sql.js';
import { chunked, indexedStarts, indexRowsFor, mergeRanges, pairKey, rangesCond, readIndex, writeIndexRows, type KeyRange } from './trace-index.js';

/** Rows per INSERT: big enough for few parts, small enough to keep one request's body modest. */
export const INSERT_BATCH = 20_000;

interface Pending {
  spans: Span[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  /** INSERT statements of `spans` rows sent (for tests and logs; trace_index INSERTs not counted). */
  inserts = 0;
  private readonly encoder = new SpanRowEncoder();
  /**
   * One body buffer for every INSERT (they go one at a time): growing a new one for each
   * faulted its pages in again, ~a third of the rows' cost. Replaced after a failed INSERT,
   * whose request may still be reading it.
   */
  private body = new RowBinaryWriter();

  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly db: string,
    private readonly batch = INSERT_BATCH,
  ) {}

  async write(spans: Span[]): Promise<void> {
    if (spans.length === 0) return;
    // Ids become FixedString bytes (a malformed one would shift every later value of the body);
    // checked here, so a malformed span fails its own write and not the group it would join.
    for (const span of spans) checkSpanIds(span);
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
    const fresh = new Map<string, SpanRow>();
    for (const span of spans) {
      const row = this.encoder.row(span);
      const key = rowKey(span.traceId, span.spanId, row.fp);
      if (!fresh.has(key)) fresh.set(key, row);
    }
    // A stored duplicate has the same start, so its index row is in the same UTC day.
    let first = spans[0]!.startTimeUnixNano;
    let last = first;
    for (const s of spans) {
      if (s.startTimeUnixNano < first) first = s.startTimeUnixNano;
      if (s.startTimeUnixNano > last) last = s.startTimeUnixNano;
    }
    const days = [(first / DAY_NS) * DAY_NS, (last / DAY_NS + 1n) * DAY_NS] as const;
    const known = indexedStarts(await readIndex(this.conn, this.db, [...new Set(spans.map((s) => s.traceId))], ...days));
    if (known.size) for (const key of await this.stored(fresh, known)) fresh.delete(key);
    const rows = [...fresh.values()];
    if (rows.length === 0) return;
    const index = indexRowsFor(
      rows.map((r) => ({ traceId: r.span.traceId, svc: r.svc, name: r.span.name, start: r.span.startTimeUnixNano })),
      known,
    );
    for (let i = 0; i < index.length; i += this.batch) {
      await this.conn.insert(`INSERT INTO ${this.db}.trace_index (${INDEX_COLUMNS.join(', ')}) FORMAT RowBinary`, writeIndexRows(index.slice(i, i + this.batch)));
    }
    for (let i = 0; i < rows.length; i += this.batch) {
      const w = this.body;
      w.reset();
      for (const row of rows.slice(i, i + this.batch)) this.encoder.write(w, row);
      try {
        await this.conn.insert(`INSERT INTO ${this.db}.spans (${SPAN_COLUMNS.join(', ')}) FORMAT RowBinary`, w.finish());
      } catch (err) {
        this.body = new RowBinaryWriter();
        throw err;
      }
      this.inserts++;
    }
  }

  /**
   * Row keys already stored among `fresh`: only spans whose (service, operation, start) the
   * index holds for their trace can be, and those are looked up in that key range of `spans`.
   */
  private async stored(fresh: Map<string, SpanRow>, known: Map<string, Set<string>>): Promise<Set<string>> {
    const candidates: KeyRange[] = [];
    const traces = new Set<string>();
    for (const { span, svc } of fresh.values()) {
      const start = span.startTimeUnixNano;
      if (known.get(span.traceId)?.has(`${start}:${pairKey(svc, span.name)}`)) {
        candidates.push({ svc, name: span.name, lo: start, hi: start });
        traces.add(span.traceId);
      }
    }
    const keys = new Set<string>();
    if (candidates.length === 0) return keys;
    const ids = [...traces].map((t) => sqlString(hexToBytes(t)));
    for (const ranges of chunked(mergeRanges(candidates).map((r) => rangesCond([r])))) {
      for (const some of chunked(ids)) {
        const r = new RowBinaryReader(
          await this.conn.query(
            `SELECT trace_id, span_id, fp FROM ${this.db}.spans PREWHERE (${ranges.join(' OR ')}) AND trace_id IN (${some.join(', ')}) FORMAT RowBinary`,
          ),
        );
        while (!r.done) keys.add(rowKey(r.fixed(16).toString('hex'), r.fixed(8).toString('hex'), r.uint64()));
      }
    }
    return keys;
  }
}
