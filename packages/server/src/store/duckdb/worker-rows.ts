/**
 * Span rows built off the event loop (ingest-worker.ts) in transferable buffers, and copied from
 * them into DuckDB DataChunks on it: one native copy per column per request, plus one call per
 * row for each text longer than DuckDB's inline 12 bytes. The rows are exactly what
 * planGroup + SpanChunk make of the same spans (worker-rows.test.ts holds them equal).
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, type DuckDBAppender } from '@duckdb/node-api';
import type { Resource, Scope, Span } from '@skein/model';
import type { AttributeBytes } from './attr-bytes.js';
import { encodeExtra } from './codec.js';
import { CHUNK_ROWS, hexToWords, SPAN_TYPES } from './span-chunk.js';
import { spanKeyIn, traceKeyIn, traceWords } from './span-keys.js';

/** Fixed-width columns in SPAN_COLUMNS order (schema.ts), with their byte widths and vector index. */
const FIXED = [
  ['trace', 16, 0],
  ['span', 8, 1],
  ['parent', 8, 2],
  ['start', 8, 3],
  ['dur', 8, 4],
  ['svc', 4, 5],
  ['op', 4, 6],
  ['kind', 1, 8],
  ['status', 1, 9],
  ['flags', 4, 11],
  ['res', 4, 12],
  ['scope', 4, 13],
] as const;
type Fixed = (typeof FIXED)[number][0];

/** Text columns: their vector index, in the order of `texts`. */
const TEXTS = { attrs: 14, extra: 15, name: 7, statusMsg: 10 } as const;
const TEXT_COLUMNS: number[] = [TEXTS.attrs, TEXTS.extra, TEXTS.name, TEXTS.statusMsg];
/** Columns whose validity RowsChunk sets: the texts, then parent and op. */
const NULLABLE = [...TEXT_COLUMNS, 2, 6];
/** A text's length when it is NULL. */
const NULL_TEXT = 0xffffffff;

/** Byte offsets of each fixed column in a buffer of n rows (8-byte aligned). */
export function columnOffsets(n: number): Record<Fixed, number> & { bytes: number } {
  const at = {} as Record<Fixed, number> & { bytes: number };
  let p = 0;
  for (const [name, width] of FIXED) {
    at[name] = p;
    p += Math.ceil((n * width) / 8) * 8;
  }
  at.bytes = p;
  return at;
}

/** One request's spans as rows. */
export interface WorkerRows {
  n: number;
  columns: ArrayBuffer;
  /** Per row, 1 if it has a parent (the parent column is NULL otherwise). */
  hasParent: Uint8Array;
  /** Per row and text (attrs, extra, spelled-out name, status message): offset and length in `bytes`. */
  texts: Uint32Array;
  bytes: Uint8Array;
  /** Per row: its span key and its trace key (span-keys.ts), for the duplicate check; signed, as KeySet holds them. */
  keys: Int32Array;
  /** Per trace: its id, its key (span-keys.ts), and its spans' earliest and latest start. */
  traceIds: string[];
  traceKeys: Int32Array;
  traceStarts: BigInt64Array;
}

/** What a copy of the store's dictionaries answers: an id, `null` to spell it out, or undefined: not known here. */
export interface Dictionaries {
  resource(r: Resource): { id: number; svc: number } | undefined;
  scope(s: Scope): number | undefined;
  name(name: string): number | null | undefined;
  /** An attribute key's coded head, or the spelled-out one; throws NotKnown for a key not known here. */
  head(key: string): string;
}

/** The rows need a dictionary entry that only the store's own thread may make. */
export class NotKnown extends Error {}

const encoder = new TextEncoder();

/**
 * The rows of a request's spans (ids already checked); `attrBytes` encodes with `dict`'s heads
 * and is reset here. Throws NotKnown when an entry is missing
 * from `dict`, and when a span id repeats in the request (the store must dedupe those in SQL).
 */
export function buildRows(spans: Span[], dict: Dictionaries, attrBytes: AttributeBytes): WorkerRows {
  const n = spans.length;
  const at = columnOffsets(n);
  const columns = new ArrayBuffer(at.bytes);
  const trace = new Uint32Array(columns, at.trace, n * 4);
  const span = new Uint32Array(columns, at.span, n * 2);
  const parent = new Uint32Array(columns, at.parent, n * 2);
  const start = new BigInt64Array(columns, at.start, n);
  const dur = new BigInt64Array(columns, at.dur, n);
  const svc = new Uint32Array(columns, at.svc, n);
  const op = new Uint32Array(columns, at.op, n);
  const kind = new Uint8Array(columns, at.kind, n);
  const status = new Uint8Array(columns, at.status, n);
  const flags = new Uint32Array(columns, at.flags, n);
  const res = new Int32Array(columns, at.res, n);
  const scope = new Int32Array(columns, at.scope, n);
  const hasParent = new Uint8Array(n);
  const texts = new Uint32Array(n * 8);
  const keys = new Int32Array(n * 2);
  attrBytes.reset();
  const pieces: Uint8Array[] = [];
  let size = 0;
  const text = (row: number, which: number, b: Uint8Array | null): void => {
    texts[row * 8 + which * 2] = size;
    texts[row * 8 + which * 2 + 1] = b === null ? NULL_TEXT : b.length;
    if (b === null) return;
    pieces.push(b);
    size += b.length;
  };
  const traces = new Map<string, { words: number[]; key: number; min: bigint; max: bigint }>();
  const spanKeys = new Set<number>();
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    let t = traces.get(s.traceId);
    if (t === undefined) {
      const words = traceWords(s.traceId);
      t = { words, key: traceKeyIn(words), min: s.startTimeUnixNano, max: s.startTimeUnixNano };
      traces.set(s.traceId, t);
    } else {
      if (s.startTimeUnixNano < t.min) t.min = s.startTimeUnixNano;
      if (s.startTimeUnixNano > t.max) t.max = s.startTimeUnixNano;
    }
    const key = spanKeyIn(t.words, s.spanId);
    // A repeated key is a repeated span id, or (rarely) two spans' hashes colliding: both are
    // left to the store's thread, which compares the rows themselves.
    if (spanKeys.has(key)) throw new NotKnown(`span ${s.spanId} may repeat in the request`);
    spanKeys.add(key);
    keys[i * 2] = key;
    keys[i * 2 + 1] = t.key;
    // UHUGEINT and UBIGINT are little-endian: the last 8 hex digits are the lowest word.
    trace[i * 4] = t.words[3]!;
    trace[i * 4 + 1] = t.words[2]!;
    trace[i * 4 + 2] = t.words[1]!;
    trace[i * 4 + 3] = t.words[0]!;
    hexToWords(s.spanId, span, i * 2);
    if (s.parentSpanId !== '') {
      hexToWords(s.parentSpanId, parent, i * 2);
      hasParent[i] = 1;
    }
    start[i] = s.startTimeUnixNano;
    dur[i] = s.endTimeUnixNano - s.startTimeUnixNano;
    const r = dict.resource(s.resource);
    const sc = dict.scope(s.scope);
    const name = dict.name(s.name);
    if (r === undefined || sc === undefined || name === undefined) throw new NotKnown('a resource, scope or name is new');
    svc[i] = r.svc;
    res[i] = r.id;
    scope[i] = sc;
    op[i] = name ?? 0;
    kind[i] = s.kind;
    status[i] = s.status.code;
    flags[i] = s.flags >>> 0;
    text(i, 0, attrBytes.encode(s.attributes));
    const extra = encodeExtra(s);
    text(i, 1, extra === null ? null : encoder.encode(extra));
    text(i, 2, name === null ? encoder.encode(s.name) : null);
    text(i, 3, s.status.message === '' ? EMPTY : encoder.encode(s.status.message));
  }
  const bytes = new Uint8Array(size);
  let p = 0;
  for (const b of pieces) {
    bytes.set(b, p);
    p += b.length;
  }
  const traceIds = [...traces.keys()];
  const traceKeys = new Int32Array(traceIds.length);
  const traceStarts = new BigInt64Array(traceIds.length * 2);
  let k = 0;
  for (const t of traces.values()) {
    traceKeys[k] = t.key;
    traceStarts[k * 2] = t.min;
    traceStarts[k * 2 + 1] = t.max;
    k++;
  }
  return { n, columns, hasParent, texts, bytes, keys, traceIds, traceKeys, traceStarts };
}

const EMPTY = new Uint8Array(0);

/** The buffers to transfer with a WorkerRows message. */
export const transferList = (r: WorkerRows): ArrayBuffer[] =>
  [r.columns, r.hasParent.buffer, r.texts.buffer, r.bytes.buffer, r.keys.buffer, r.traceKeys.buffer, r.traceStarts.buffer] as ArrayBuffer[];

/** Fills DataChunks from WorkerRows and hands each full one to an appender. */
export class RowsChunk {
  private readonly chunk = DuckDBDataChunk.create(SPAN_TYPES);
  private vectors = this.getVectors();
  private rows = 0;
  private readonly valid = NULLABLE.map(() => new Uint32Array(CHUNK_ROWS / 32));
  private readonly zeros = new ArrayBuffer(CHUNK_ROWS * 16);

  /** Copies all of `r`'s rows, appending and flushing each chunk that fills up. */
  add(r: WorkerRows, app: DuckDBAppender): void {
    const at = columnOffsets(r.n);
    for (let from = 0; from < r.n; ) {
      const take = Math.min(r.n - from, CHUNK_ROWS - this.rows);
      this.copy(r, at, from, take);
      from += take;
      if (this.rows === CHUNK_ROWS) this.flush(app);
    }
  }

  /** Appends and flushes what is left. */
  flush(app: DuckDBAppender): void {
    const n = this.rows;
    if (n === 0) return;
    duckdb.data_chunk_set_size(this.chunk.chunk, n);
    NULLABLE.forEach((col, i) => {
      duckdb.vector_ensure_validity_writable(this.vectors[col]!);
      duckdb.copy_data_to_vector_validity(this.vectors[col]!, 0, this.valid[i]!.buffer as ArrayBuffer, 0, Math.ceil(n / 64) * 8);
    });
    app.appendDataChunk(this.chunk);
    app.flushSync();
    this.clear();
  }

  /** Drops rows not flushed yet (their transaction is being rolled back). */
  clear(): void {
    this.rows = 0;
    for (const v of this.valid) v.fill(0);
    duckdb.data_chunk_reset(this.chunk.chunk);
    this.vectors = this.getVectors();
  }

  private getVectors(): duckdb.Vector[] {
    return SPAN_TYPES.map((_, i) => duckdb.data_chunk_get_vector(this.chunk.chunk, i));
  }

  private copy(r: WorkerRows, at: ReturnType<typeof columnOffsets>, from: number, take: number): void {
    const v = this.vectors;
    const row0 = this.rows;
    for (const [name, width, col] of FIXED) duckdb.copy_data_to_vector(v[col]!, row0 * width, r.columns, at[name] + from * width, take * width);
    for (const col of TEXT_COLUMNS) duckdb.copy_data_to_vector(v[col]!, row0 * 16, this.zeros, 0, take * 16);
    const [attrsValid, extraValid, nameValid, msgValid, parentValid, opValid] = this.valid as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    const { texts, bytes } = r;
    for (let j = 0; j < take; j++) {
      const i = from + j;
      const row = row0 + j;
      const word = row >>> 5;
      const bit = 1 << (row & 31);
      if (r.hasParent[i]) parentValid[word]! |= bit;
      const nameLen = texts[i * 8 + 5]!;
      if (nameLen === NULL_TEXT) opValid[word]! |= bit;
      for (let t = 0; t < 4; t++) {
        const len = texts[i * 8 + t * 2 + 1]!;
        if (len === NULL_TEXT) continue;
        [attrsValid, extraValid, nameValid, msgValid][t]![word]! |= bit;
        if (len === 0) continue;
        const off = texts[i * 8 + t * 2]!;
        duckdb.vector_assign_string_element_len(v[TEXT_COLUMNS[t]!]!, row, bytes.subarray(off, off + len));
      }
    }
    this.rows += take;
  }
}
