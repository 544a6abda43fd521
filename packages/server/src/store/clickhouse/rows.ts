/** A span as a `spans` row (RowBinary, in SPAN_COLUMNS order), and rows back to spans. */
import { decodeOtlpProto, OtlpSpanEncoder, serviceName, type Resource, type Span } from '@skein/model';
import { attributeText } from '../match.js';
import type { RowBinaryWriter } from './row-binary.js';

const NO_PARENT = new Uint8Array(8);
/**
 * The trace and span ids inside an `otlp` cell are these constants; the real ones are in the id
 * columns. Sorted by service, neighbouring spans belong to unrelated traces, so random ids in
 * every cell would not compress. The parent id stays in the cell, so a trace by id reads no
 * parent_id column.
 */
const CELL_TRACE_ID = '00000000000000000000000000000001';
const CELL_SPAN_ID = '0000000000000001';
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** The key a span is stored under once: ids and content hash. */
export const rowKey = (traceIdHex: string, spanIdHex: string, fp: bigint): string => `${traceIdHex}${spanIdHex}${fp.toString(16)}`;

/** A span ready to be a row: its `otlp` cell and the cell's content hash. */
export interface SpanRow {
  span: Span;
  svc: string;
  cell: Uint8Array;
  fp: bigint;
}

/**
 * Makes `spans` rows (RowBinary, in SPAN_COLUMNS order). One per writer: it keeps the encoded
 * bytes and attribute texts of the Resource and Scope objects its spans share, which every
 * span of a batch would otherwise encode again (a Resource is ~6 attributes to a span's ~5).
 */
export class SpanRowEncoder {
  private readonly cells = new OtlpSpanEncoder();
  private readonly resourceTexts = new WeakMap<Resource, { keys: string[]; values: string[] }>();

  /**
   * The span's cell and content hash. The cell holds everything but the ids (constants inside),
   * so equal cells are equal content: spans with the same ids and hash are one span.
   */
  row(span: Span): SpanRow {
    const cell = this.cells.encode({ ...span, traceId: CELL_TRACE_ID, spanId: CELL_SPAN_ID });
    return { span, svc: serviceName(span.resource), cell, fp: hash64(cell) };
  }

  write(w: RowBinaryWriter, { span, svc, cell, fp }: SpanRow): void {
    w.string(svc);
    w.string(span.name);
    w.uint64(span.startTimeUnixNano);
    w.hex(span.traceId);
    w.hex(span.spanId);
    w.uint64(fp);
    if (span.parentSpanId) w.hex(span.parentSpanId);
    else w.fixed(NO_PARENT);
    // Duration only serves searches and RED; the exact times are in `otlp`.
    const dur = span.endTimeUnixNano - span.startTimeUnixNano;
    w.int64(dur > INT64_MAX ? INT64_MAX : dur < INT64_MIN ? INT64_MIN : dur);
    w.uint8(span.kind & 0xff);
    w.uint8(span.status.code & 0xff);
    w.string(span.status.message);
    const res = this.texts(span.resource);
    const attrs = span.attributes;
    w.varint(attrs.length + res.keys.length);
    for (const kv of attrs) w.string(kv.key);
    for (const k of res.keys) w.string(k);
    w.varint(attrs.length + res.values.length);
    for (const kv of attrs) w.string(attributeText(kv.value));
    for (const v of res.values) w.string(v);
    w.string(cell);
  }

  private texts(r: Resource): { keys: string[]; values: string[] } {
    let t = this.resourceTexts.get(r);
    if (t === undefined) {
      t = { keys: r.attributes.map((kv) => kv.key), values: r.attributes.map((kv) => attributeText(kv.value)) };
      this.resourceTexts.set(r, t);
    }
    return t;
  }
}

/**
 * A 64-bit hash of bytes (two murmur3-style 32-bit lanes): it only tells apart spans that
 * already share their trace and span ids, so it need not resist an adversary.
 */
export function hash64(b: Uint8Array): bigint {
  let h1 = 0x9747b28c ^ b.length;
  let h2 = 0x5bd1e995 ^ b.length;
  const whole = b.length & ~3;
  for (let i = 0; i < whole; i += 4) {
    const k = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
    h1 = Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593) ^ h1;
    h1 = (Math.imul(rotl(h1, 13), 5) + 0xe6546b64) | 0;
    h2 = Math.imul(rotl(Math.imul(k ^ h1, 0x85ebca6b), 17), 0xc2b2ae35) ^ h2;
    h2 = (Math.imul(rotl(h2, 11), 9) + 0x38b34ae5) | 0;
  }
  let k = 0;
  for (let i = b.length - 1; i >= whole; i--) k = (k << 8) | b[i]!;
  h1 ^= Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  h2 ^= Math.imul(rotl(Math.imul(k, 0x85ebca6b), 17), 0xc2b2ae35);
  h1 = fmix(h1 ^ h2);
  h2 = fmix(h2 ^ h1);
  return (BigInt(h1 >>> 0) << 32n) | BigInt(h2 >>> 0);
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A stored span's cell and the ids its cell leaves out (hex). */
export interface StoredCell {
  traceId: string;
  spanId: string;
  otlp: Buffer;
}

/**
 * Spans from their `otlp` cells, with their ids put back. Concatenated protobuf messages are one
 * message whose repeated fields are joined, so the cells decode in one pass as one
 * ExportTraceServiceRequest, one span per cell, in order.
 */
export function spansFromCells(cells: StoredCell[]): Span[] {
  if (cells.length === 0) return [];
  // A plain Uint8Array: bytes values are views of the input and must not come back as Buffers.
  const all = Buffer.concat(cells.map((c) => c.otlp));
  const decoded = decodeOtlpProto(new Uint8Array(all.buffer, all.byteOffset, all.length));
  if (decoded.rejected) throw new Error(`corrupt span in ClickHouse: ${decoded.message}`);
  if (decoded.spans.length !== cells.length) throw new Error(`corrupt span in ClickHouse: ${cells.length} cells held ${decoded.spans.length} spans`);
  return decoded.spans.map((span, i) => {
    const c = cells[i]!;
    return { ...span, traceId: c.traceId, spanId: c.spanId };
  });
}
