/**
 * Span rows in DuckDB DataChunks built column by column: fixed-width columns are filled in typed
 * arrays and copied in one call each, short ASCII strings are written inline into the string
 * cells, so a span costs ~2 native calls (its longer strings) instead of ~17 Appender calls.
 * Attributes come as UTF-8 bytes (attr-bytes.ts), the other texts as strings.
 */
import duckdb from '@duckdb/node-bindings';
import { BIGINT, DuckDBDataChunk, INTEGER, UBIGINT, UHUGEINT, UINTEGER, UTINYINT, VARCHAR } from '@duckdb/node-api';
import type { DuckDBAppender } from '@duckdb/node-api';
import type { Span } from '@skein/model';
import { hexWord } from '../hex.js';

/** Rows per chunk: DuckDB's vector size. */
export const CHUNK_ROWS = 2048;

/** The span columns' types in SPAN_COLUMNS (schema.ts) order. */
export const SPAN_TYPES = [UHUGEINT, UBIGINT, UBIGINT, BIGINT, BIGINT, UINTEGER, UINTEGER, VARCHAR, UTINYINT, UTINYINT, VARCHAR, UINTEGER, INTEGER, INTEGER, VARCHAR, VARCHAR];

type Vector = ReturnType<typeof duckdb.data_chunk_get_vector>;

/**
 * A VARCHAR column. DuckDB's string cell is 16 bytes: a uint32 length, then up to 12 bytes
 * inline (zero padded) or a prefix and a pointer. Inline cells are written here; longer
 * strings go through vector_assign_string_element after the cells are copied.
 */
class StringColumn {
  private readonly cells = new Uint8Array(CHUNK_ROWS * 16);
  private readonly words = new Uint32Array(this.cells.buffer);
  private readonly valid = new Uint32Array(CHUNK_ROWS / 32);
  private hasNull = false;
  private readonly longRows = new Int32Array(CHUNK_ROWS);
  private readonly longValues: Array<string | Uint8Array> = new Array<string | Uint8Array>(CHUNK_ROWS).fill('');
  private longCount = 0;

  set(row: number, s: string | null): void {
    const w = row * 4;
    this.words[w] = this.words[w + 1] = this.words[w + 2] = this.words[w + 3] = 0;
    const bit = 1 << (row & 31);
    if (s === null) {
      this.valid[row >>> 5]! &= ~bit;
      this.hasNull = true;
      return;
    }
    this.valid[row >>> 5]! |= bit;
    const n = s.length;
    if (n <= 12) {
      const at = row * 16 + 4;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        this.cells[at + i] = c;
      }
      if (i === n) {
        this.words[w] = n;
        return;
      }
      this.words[w + 1] = this.words[w + 2] = this.words[w + 3] = 0;
    }
    this.longRows[this.longCount] = row;
    this.longValues[this.longCount++] = s;
  }

  /** A non-null value given as UTF-8 bytes. */
  setBytes(row: number, b: Uint8Array): void {
    const w = row * 4;
    this.words[w] = this.words[w + 1] = this.words[w + 2] = this.words[w + 3] = 0;
    this.valid[row >>> 5]! |= 1 << (row & 31);
    const n = b.length;
    if (n <= 12) {
      this.cells.set(b, row * 16 + 4);
      this.words[w] = n;
      return;
    }
    this.longRows[this.longCount] = row;
    this.longValues[this.longCount++] = b;
  }

  clear(): void {
    this.longCount = 0;
    this.hasNull = false;
  }

  flush(vector: Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.cells.buffer, 0, rows * 16);
    for (let i = 0; i < this.longCount; i++) {
      const v = this.longValues[i]!;
      if (typeof v === 'string') duckdb.vector_assign_string_element(vector, this.longRows[i]!, v);
      else duckdb.vector_assign_string_element_len(vector, this.longRows[i]!, v);
    }
    if (this.hasNull) flushValidity(vector, this.valid, rows);
    this.clear();
  }
}

function flushValidity(vector: Vector, valid: Uint32Array, rows: number): void {
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, valid.buffer as ArrayBuffer, 0, Math.ceil(rows / 64) * 8);
}

export class SpanChunk {
  private readonly chunk = DuckDBDataChunk.create(SPAN_TYPES);
  private readonly vectors: Vector[];
  rows = 0;
  private readonly traceIds = new Uint32Array(CHUNK_ROWS * 4);
  private readonly spanIds = new Uint32Array(CHUNK_ROWS * 2);
  private readonly parentIds = new Uint32Array(CHUNK_ROWS * 2);
  private readonly parentValid = new Uint32Array(CHUNK_ROWS / 32);
  private hasRoot = false;
  private readonly starts = new BigInt64Array(CHUNK_ROWS);
  private readonly durations = new BigInt64Array(CHUNK_ROWS);
  private readonly svcs = new Uint32Array(CHUNK_ROWS);
  private readonly ops = new Uint32Array(CHUNK_ROWS);
  private readonly opValid = new Uint32Array(CHUNK_ROWS / 32);
  private hasSpelledName = false;
  private readonly names = new StringColumn();
  private readonly kinds = new Uint8Array(CHUNK_ROWS);
  private readonly statuses = new Uint8Array(CHUNK_ROWS);
  private readonly statusMessages = new StringColumn();
  private readonly flags = new Uint32Array(CHUNK_ROWS);
  private readonly resIds = new Int32Array(CHUNK_ROWS);
  private readonly scopeIds = new Int32Array(CHUNK_ROWS);
  private readonly attrs = new StringColumn();
  private readonly extras = new StringColumn();

  constructor() {
    this.vectors = SPAN_TYPES.map((_, i) => duckdb.data_chunk_get_vector(this.chunk.chunk, i));
  }

  /**
   * Adds one row; ids must already be checked as lowercase hex of the right length. The name is
   * `op`'s in the names dictionary, or spelled out in the name column when op is undefined.
   */
  add(s: Span, svc: number, op: number | undefined, resId: number, scopeId: number, attrs: Uint8Array, extra: string | null): void {
    const r = this.rows++;
    const t = s.traceId;
    // UHUGEINT is little-endian: the last 8 hex digits are the lowest word.
    const tw = r * 4;
    this.traceIds[tw] = hexWord(t, 24);
    this.traceIds[tw + 1] = hexWord(t, 16);
    this.traceIds[tw + 2] = hexWord(t, 8);
    this.traceIds[tw + 3] = hexWord(t, 0);
    hexToWords(s.spanId, this.spanIds, r * 2);
    const bit = 1 << (r & 31);
    if (s.parentSpanId === '') {
      this.parentIds[r * 2] = this.parentIds[r * 2 + 1] = 0;
      this.parentValid[r >>> 5]! &= ~bit;
      this.hasRoot = true;
    } else {
      hexToWords(s.parentSpanId, this.parentIds, r * 2);
      this.parentValid[r >>> 5]! |= bit;
    }
    this.starts[r] = s.startTimeUnixNano;
    this.durations[r] = s.endTimeUnixNano - s.startTimeUnixNano;
    this.svcs[r] = svc;
    if (op === undefined) {
      this.ops[r] = 0;
      this.opValid[r >>> 5]! &= ~bit;
      this.names.set(r, s.name);
      this.hasSpelledName = true;
    } else {
      this.ops[r] = op;
      this.opValid[r >>> 5]! |= bit;
      this.names.set(r, null);
    }
    this.kinds[r] = s.kind;
    this.statuses[r] = s.status.code;
    this.statusMessages.set(r, s.status.message);
    this.flags[r] = s.flags >>> 0;
    this.resIds[r] = resId;
    this.scopeIds[r] = scopeId;
    this.attrs.setBytes(r, attrs);
    this.extras.set(r, extra);
  }

  /** Empties the chunk: after appendTo, or to drop rows whose transaction was rolled back. */
  clear(): void {
    this.rows = 0;
    this.hasRoot = false;
    this.hasSpelledName = false;
    for (const c of [this.names, this.statusMessages, this.attrs, this.extras]) c.clear();
  }

  /** Hands the rows to the appender (which copies them) and empties the chunk. */
  appendTo(app: DuckDBAppender): void {
    const n = this.rows;
    if (n === 0) return;
    duckdb.data_chunk_reset(this.chunk.chunk);
    duckdb.data_chunk_set_size(this.chunk.chunk, n);
    const v = this.vectors;
    copy(v[0]!, this.traceIds, n * 16);
    copy(v[1]!, this.spanIds, n * 8);
    copy(v[2]!, this.parentIds, n * 8);
    if (this.hasRoot) flushValidity(v[2]!, this.parentValid, n);
    copy(v[3]!, this.starts, n * 8);
    copy(v[4]!, this.durations, n * 8);
    copy(v[5]!, this.svcs, n * 4);
    copy(v[6]!, this.ops, n * 4);
    if (this.hasSpelledName) flushValidity(v[6]!, this.opValid, n);
    this.names.flush(v[7]!, n);
    copy(v[8]!, this.kinds, n);
    copy(v[9]!, this.statuses, n);
    this.statusMessages.flush(v[10]!, n);
    copy(v[11]!, this.flags, n * 4);
    copy(v[12]!, this.resIds, n * 4);
    copy(v[13]!, this.scopeIds, n * 4);
    this.attrs.flush(v[14]!, n);
    this.extras.flush(v[15]!, n);
    app.appendDataChunk(this.chunk);
    this.clear();
  }
}

const copy = (vector: Vector, a: ArrayBufferView, bytes: number): void => duckdb.copy_data_to_vector(vector, 0, a.buffer as ArrayBuffer, a.byteOffset, bytes);

/** 16 hex digits as a little-endian uint64 (two words) at `at`. */
function hexToWords(hex: string, out: Uint32Array, at: number): void {
  out[at] = hexWord(hex, 8);
  out[at + 1] = hexWord(hex, 0);
}
