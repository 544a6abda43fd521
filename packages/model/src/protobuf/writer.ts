/** ProtoWriter: a growable protobuf wire writer with back-patched lengths for nested messages. */

import { toI64, toU64 } from '../int64.js';
import { GrowableBytes } from '../growable-bytes.js';
import { utf8Write } from './utf8.js';

const f32 = new Float32Array(1);
const f32b = new Uint8Array(f32.buffer);
const MASK32 = 0xffffffffn;

const varintSize = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

/**
 * Writes protobuf wire data. Nested messages: `const m = w.begin(fieldNo); ...; w.end(m);` —
 * one byte is reserved for the length and the body is shifted when the length needs more, so
 * no size pass is needed and the output is canonical (minimal varints).
 *
 * Fields with default values are the caller's business: proto3 omits them, so callers write
 * `if (x !== '') w.string(3, x)`.
 */
export class ProtoWriter extends GrowableBytes {
  constructor(initialSize = 4096) {
    super(initialSize);
  }

  /** The bytes written so far (a view; call `reset` only after you are done with it). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  /** Raw varint of an unsigned 32-bit (or any non-negative < 2^53 integer) value. */
  varint(v: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v = v > 0xffffffff ? Math.floor(v / 128) : v >>> 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  tag(field: number, wireType: number): void {
    this.varint(((field << 3) | wireType) >>> 0);
  }

  uint32(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(v >>> 0);
  }

  /** int32/enum: negatives take 10 bytes (sign-extended to 64 bits) as protobuf requires. */
  int32(field: number, v: number): void {
    this.tag(field, 0);
    if (v >= 0) this.varint(v);
    else this.varint64(toU64(BigInt(v | 0)));
  }

  sint32(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  bool(field: number, v: boolean): void {
    this.tag(field, 0);
    this.varint(v ? 1 : 0);
  }

  /** Raw 64-bit varint of an unsigned value in [0, 2^64). */
  varint64(v: bigint): void {
    if (v <= 0x1fffffffffffffn) {
      this.varint(Number(v));
      return;
    }
    let lo = Number(v & MASK32);
    let hi = Number(v >> 32n);
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi > 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  uint64(field: number, v: bigint): void {
    this.tag(field, 0);
    this.varint64(toU64(v));
  }

  int64(field: number, v: bigint): void {
    this.tag(field, 0);
    this.varint64(toU64(v));
  }

  sint64(field: number, v: bigint): void {
    this.tag(field, 0);
    const n = toI64(v);
    this.varint64(toU64((n << 1n) ^ (n >> 63n)));
  }

  fixed32(field: number, v: number): void {
    this.tag(field, 5);
    this.rawFixed32(v >>> 0);
  }

  sfixed32(field: number, v: number): void {
    this.fixed32(field, v);
  }

  rawFixed32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v & 0xff;
    b[p + 1] = (v >>> 8) & 0xff;
    b[p + 2] = (v >>> 16) & 0xff;
    b[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  fixed64(field: number, v: bigint): void {
    this.tag(field, 1);
    this.rawFixed64(v);
  }

  sfixed64(field: number, v: bigint): void {
    this.fixed64(field, v);
  }

  rawFixed64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, toU64(v), true);
    this.pos += 8;
  }

  double(field: number, v: number): void {
    this.tag(field, 1);
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    this.ensure(4);
    f32[0] = v;
    this.buf.set(f32b, this.pos);
    this.pos += 4;
  }

  /**
   * Writes the text first and its length after: room for the length is reserved assuming ASCII
   * (1 byte per char) and the body is shifted in the rare case the real length needs another size.
   */
  string(field: number, s: string): void {
    this.tag(field, 2);
    this.ensure(5 + s.length * 3);
    const at = this.pos;
    const reserve = varintSize(s.length);
    const end = utf8Write(s, this.buf, at + reserve);
    const len = end - at - reserve;
    const size = varintSize(len);
    const buf = this.buf;
    if (size !== reserve) buf.copyWithin(at + size, at + reserve, end);
    let v = len;
    let p = at;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
    this.pos = at + size + len;
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Writes raw bytes with no tag (pre-encoded content). */
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Starts a length-delimited field (nested message or packed array); returns a mark for `end`. */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the field started at `mark`: writes its length, shifting the body if it needs > 1 byte. */
  end(mark: number): void {
    const bodyStart = mark + 1;
    const len = this.pos - bodyStart;
    if (len < 0x80) {
      this.buf[mark] = len;
      return;
    }
    const size = len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5;
    this.ensure(size - 1);
    const buf = this.buf;
    buf.copyWithin(mark + size, bodyStart, this.pos);
    let v = len;
    let p = mark;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
    this.pos += size - 1;
  }
}
