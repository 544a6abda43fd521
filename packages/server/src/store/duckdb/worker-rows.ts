/**
 * Span rows built off the event loop (ingest-worker.ts, proto-rows.ts) in transferable buffers,
 * and copied from them into DuckDB DataChunks on it: one native copy per column per request,
 * plus one call per row for each text longer than DuckDB's inline 12 bytes.
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, type DuckDBAppender } from '@duckdb/node-api';
import type { Resource, Scope } from '@skein/model';
import { spelledHead } from './codec.js';
import type { Interner } from './interner.js';
import { CHUNK_ROWS, SPAN_TYPES } from './span-chunk.js';

/** Fixed-width columns in SPAN_COLUMNS order (schema.ts), with their byte widths and vector index. */
export const FIXED = [
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
export const NULL_TEXT = 0xffffffff;

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

/** One request's spans as rows; every typed array below is a view into `columns`, sent as one buffer. */
export interface WorkerRows {
  n: number;
  /** The fixed columns at columnOffsets(n), then the other arrays' bytes. */
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

/** What a copy of the store's dictionaries (restored from the stored entries) answers, never adding to them. */
export function copiedDictionaries(interner: Interner): Dictionaries {
  return {
    resource: (r) => interner.knownResource(r),
    scope: (s) => interner.knownScope(s),
    name: (name) => interner.names.known(name) ?? (interner.names.full ? null : undefined),
    head: (key) => {
      const head = interner.keys.knownHead(key);
      if (head !== undefined) return head;
      if (interner.keys.dictionary.full) return spelledHead(key);
      throw new NotKnown(`attribute key ${key} is new`);
    },
  };
}

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
    const valid = this.valid;
    const [parentValid, opValid] = [valid[4]!, valid[5]!];
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
        valid[t]![word]! |= bit;
        if (len === 0) continue;
        const off = texts[i * 8 + t * 2]!;
        duckdb.vector_assign_string_element_len(v[TEXT_COLUMNS[t]!]!, row, bytes.subarray(off, off + len));
      }
    }
    this.rows += take;
  }
}
