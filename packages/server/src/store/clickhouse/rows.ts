/** A span as a `spans` row (RowBinary, in SPAN_COLUMNS order), and rows back to spans. */
import { decodeOtlpProto, encodeOtlpProto, hexToBytes, type Span } from '@skein/model';
import { attributeText } from '../match.js';
import { spanFingerprint } from '../fingerprint.js';
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

/** The 64-bit content hash of a span (the tail of its fingerprint), which tells duplicates apart. */
export const contentHash = (span: Span): bigint => BigInt(`0x${spanFingerprint(span).slice(-16)}`);

/** The key a span is stored under once: ids and content hash. */
export const rowKey = (traceIdHex: string, spanIdHex: string, fp: bigint): string => `${traceIdHex}${spanIdHex}${fp.toString(16)}`;

/** A span as a row, in SPAN_COLUMNS order; `svc` is serviceName(span.resource). */
export function writeSpanRow(w: RowBinaryWriter, span: Span, fp: bigint, svc: string): void {
  w.string(svc);
  w.string(span.name);
  w.uint64(span.startTimeUnixNano);
  w.fixed(hexToBytes(span.traceId));
  w.fixed(hexToBytes(span.spanId));
  w.uint64(fp);
  w.fixed(span.parentSpanId ? hexToBytes(span.parentSpanId) : NO_PARENT);
  // Duration only serves searches and RED; the exact times are in `otlp`.
  const dur = span.endTimeUnixNano - span.startTimeUnixNano;
  w.int64(dur > INT64_MAX ? INT64_MAX : dur < INT64_MIN ? INT64_MIN : dur);
  w.uint8(span.kind & 0xff);
  w.uint8(span.status.code & 0xff);
  w.string(span.status.message);
  const keys: string[] = [];
  const values: string[] = [];
  for (const list of [span.attributes, span.resource.attributes]) {
    for (const kv of list) {
      keys.push(kv.key);
      values.push(attributeText(kv.value));
    }
  }
  w.strings(keys);
  w.strings(values);
  w.string(encodeOtlpProto([{ ...span, traceId: CELL_TRACE_ID, spanId: CELL_SPAN_ID }]));
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
