/** ProtoReader: a bounds-checked, allocation-light protobuf wire reader for hand-written decoders. */

import { toI64 } from '../int64.js';
import { DecodeError } from './decode-error.js';
import { utf8Read } from './utf8.js';

export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const TWO32 = 4294967296;
const f32 = new Float32Array(1);
const f32b = new Uint8Array(f32.buffer);
/** Groups may nest; bound the depth so hostile input cannot overflow the stack. */
const MAX_GROUP_DEPTH = 64;

/**
 * Reads protobuf wire data from `buf[pos, end)`. Every read checks `end`, so a truncated or
 * lying buffer throws DecodeError with the offset instead of reading garbage.
 *
 * Typical loop:
 * ```ts
 * while (r.pos < r.end) {
 *   const tag = r.tag();
 *   switch (tag) { case 10: name = r.string(); break; default: r.skip(tag & 7); }
 * }
 * ```
 * Nested messages: `const outer = r.enter(); ...loop...; r.leave(outer);`.
 */
export class ProtoReader {
  buf: Uint8Array;
  pos: number;
  /** Limit of the message being read (moves in and out with enter/leave). */
  end: number;
  /** For fixed64/double: DataView reads beat assembling bigints from bytes ~5x. */
  private readonly view: DataView;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  fail(reason: string, offset = this.pos): never {
    throw new DecodeError(reason, offset);
  }

  /** Reads a field key; returns `fieldNumber << 3 | wireType` (wire type is `tag & 7`). */
  tag(): number {
    const start = this.pos;
    const t = this.uint32();
    if (t >>> 3 === 0) this.fail('invalid field number 0', start);
    return t;
  }

  /** A varint, keeping its low 32 bits, unsigned. Accepts up to 10 bytes like protobuf does. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < this.end) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    let v = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= this.end) this.fail('truncated varint');
      const b = buf[pos++]!;
      if (shift < 32) v |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return v >>> 0;
      }
    }
    return this.fail('varint longer than 10 bytes');
  }

  int32(): number {
    return this.uint32() | 0;
  }

  sint32(): number {
    const v = this.uint32();
    return (v >>> 1) ^ -(v & 1);
  }

  bool(): boolean {
    return this.uint64Parts() !== 0 || this.hi !== 0;
  }

  /** Enum values are int32 on the wire. */
  enum(): number {
    return this.uint32() | 0;
  }

  /** High 32 bits of the last uint64Parts read. */
  hi = 0;

  /** Reads a 64-bit varint; returns the low 32 bits (unsigned) and leaves the high ones in `hi`. */
  uint64Parts(): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) this.fail('truncated varint');
      const b = buf[pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (i * 7);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (i * 7 - 32);
      if (b < 0x80) {
        this.pos = pos;
        this.hi = hi >>> 0;
        return lo >>> 0;
      }
    }
    return this.fail('varint longer than 10 bytes');
  }

  uint64(): bigint {
    const lo = this.uint64Parts();
    return joinU64(lo, this.hi);
  }

  int64(): bigint {
    const lo = this.uint64Parts();
    return joinI64(lo, this.hi);
  }

  sint64(): bigint {
    const lo = this.uint64Parts();
    const hi = this.hi;
    // zigzag: (n >>> 1) ^ -(n & 1) on the 64-bit pair
    const sign = -(lo & 1);
    const nlo = ((lo >>> 1) | (hi << 31)) ^ sign;
    const nhi = (hi >>> 1) ^ sign;
    return joinI64(nlo >>> 0, nhi >>> 0);
  }

  /** A varint as a JS number, for counts and lengths; throws if it exceeds 2^53. */
  uint53(): number {
    const lo = this.uint64Parts();
    if (this.hi > 0x1fffff) this.fail('integer too large', this.pos - 1);
    return this.hi * TWO32 + lo;
  }

  fixed32(): number {
    const p = this.need(4);
    const b = this.buf;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  }

  sfixed32(): number {
    return this.fixed32() | 0;
  }

  float(): number {
    const p = this.need(4);
    const b = this.buf;
    f32b[0] = b[p]!;
    f32b[1] = b[p + 1]!;
    f32b[2] = b[p + 2]!;
    f32b[3] = b[p + 3]!;
    return f32[0]!;
  }

  double(): number {
    return this.view.getFloat64(this.need(8), true);
  }

  fixed64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  sfixed64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }

  /** Reads a length prefix, checks it fits, and returns the start of the payload (pos moves past it). */
  lenStart(): number {
    const at = this.pos;
    const len = this.uint32();
    const start = this.pos;
    if (len > this.end - start) this.fail(`length ${len} exceeds the ${this.end - start} bytes left`, at);
    this.pos = start + len;
    return start;
  }

  /** A bytes field as a view into the buffer (no copy: copy it if you keep it past the buffer). */
  bytes(): Uint8Array {
    const start = this.lenStart();
    return this.buf.subarray(start, this.pos);
  }

  /**
   * A bytes field copied out of the buffer, always as a plain Uint8Array: a Buffer's slice would
   * be a Buffer, which JSON.stringify writes otherwise (so an attribute's text would depend on
   * what the request was read into).
   */
  bytesCopy(): Uint8Array {
    const start = this.lenStart();
    return new Uint8Array(this.buf.subarray(start, this.pos));
  }

  string(): string {
    const start = this.lenStart();
    return utf8Read(this.buf, start, this.pos);
  }

  /**
   * Enters a length-delimited sub-message: afterwards `end` is its limit. Returns the outer
   * limit, to hand to `leave`.
   */
  enter(): number {
    const start = this.lenStart();
    const outer = this.end;
    this.end = this.pos;
    this.pos = start;
    return outer;
  }

  /** Leaves a sub-message entered with `enter` (its loop ran to `end`). */
  leave(outer: number): void {
    this.end = outer;
  }

  /** Skips a field of the given wire type (tag & 7), groups included. */
  skip(wireType: number, depth = 0): void {
    switch (wireType) {
      case 0:
        this.uint64Parts();
        return;
      case 1:
        this.need(8);
        return;
      case 2:
        this.lenStart();
        return;
      case 3: {
        if (depth >= MAX_GROUP_DEPTH) this.fail('groups nested too deeply');
        for (;;) {
          if (this.pos >= this.end) this.fail('unterminated group');
          const t = this.tag();
          if ((t & 7) === 4) return;
          this.skip(t & 7, depth + 1);
        }
      }
      case 4:
        return this.fail('unexpected end-group', this.pos - 1);
      case 5:
        this.need(4);
        return;
      default:
        return this.fail(`invalid wire type ${wireType}`, this.pos - 1);
    }
  }

  /** Checks `n` more bytes are there, advances past them, and returns where they start. */
  need(n: number): number {
    const p = this.pos;
    if (p + n > this.end) this.fail(`truncated: need ${n} bytes, ${this.end - p} left`);
    this.pos = p + n;
    return p;
  }
}

/** Joins two unsigned 32-bit halves; stays in Number math when the value fits 53 bits. */
export function joinU64(lo: number, hi: number): bigint {
  if (hi < 0x200000) return BigInt(hi * TWO32 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

export function joinI64(lo: number, hi: number): bigint {
  if (hi < 0x200000) return BigInt(hi * TWO32 + lo);
  if (hi >= 0xffe00000) return BigInt((hi - TWO32) * TWO32 + lo); // small negatives, exact
  return toI64((BigInt(hi) << 32n) | BigInt(lo));
}
