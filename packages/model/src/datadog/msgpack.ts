/**
 * A small bounds-checked MessagePack reader and writer for the Datadog trace payloads: it keeps
 * uint64 ids exact (bigint) and tells integers from floats, which generic decoders do not.
 */
import { GrowableBytes } from '../growable-bytes.js';
import { toI64, toU64 } from '../int64.js';
import { DecodeError } from '../protobuf/decode-error.js';
import { utf8Read } from '../protobuf/utf8.js';

const MAX_DEPTH = 64;
const enc = new TextEncoder();

export class MsgpackReader {
  pos = 0;
  private readonly view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(reason: string, at = this.pos): never {
    throw new DecodeError(reason, at);
  }
  private need(n: number): number {
    const p = this.pos;
    if (p + n > this.buf.length) this.fail(`truncated: need ${n} bytes, ${this.buf.length - p} left`);
    this.pos = p + n;
    return p;
  }
  /** The type byte of the next value, without consuming it. */
  peek(): number {
    if (this.pos >= this.buf.length) this.fail('truncated: value expected');
    return this.buf[this.pos]!;
  }
  private count(n: number, at: number): number {
    if (n > this.buf.length - this.pos) this.fail(`${n} elements cannot fit in ${this.buf.length - this.pos} bytes`, at);
    return n;
  }
  isNil(): boolean {
    if (this.peek() !== 0xc0) return false;
    this.pos++;
    return true;
  }

  arrayLen(what: string): number {
    const at = this.pos;
    const b = this.buf[this.need(1)]!;
    if (b >= 0x90 && b <= 0x9f) return this.count(b & 0x0f, at);
    if (b === 0xdc) return this.count(this.view.getUint16(this.need(2)), at);
    if (b === 0xdd) return this.count(this.view.getUint32(this.need(4)), at);
    return this.fail(`${what} must be an array (msgpack type 0x${b.toString(16)})`, at);
  }

  mapLen(what: string): number {
    const at = this.pos;
    const b = this.buf[this.need(1)]!;
    if (b >= 0x80 && b <= 0x8f) return this.count(b & 0x0f, at);
    if (b === 0xde) return this.count(this.view.getUint16(this.need(2)), at);
    if (b === 0xdf) return this.count(this.view.getUint32(this.need(4)), at);
    return this.fail(`${what} must be a map (msgpack type 0x${b.toString(16)})`, at);
  }

  /** A string (bin is accepted too: some tracers send bytes for text). */
  str(what: string): string {
    const at = this.pos;
    const b = this.buf[this.need(1)]!;
    let n: number;
    if (b >= 0xa0 && b <= 0xbf) n = b & 0x1f;
    else if (b === 0xd9 || b === 0xc4) n = this.buf[this.need(1)]!;
    else if (b === 0xda || b === 0xc5) n = this.view.getUint16(this.need(2));
    else if (b === 0xdb || b === 0xc6) n = this.view.getUint32(this.need(4));
    else return this.fail(`${what} must be a string (msgpack type 0x${b.toString(16)})`, at);
    const p = this.need(n);
    return utf8Read(this.buf, p, p + n);
  }

  /** Any integer (nil reads as 0, whole floats are accepted) as bigint. */
  int(what: string): bigint {
    const at = this.pos;
    const b = this.buf[this.need(1)]!;
    if (b <= 0x7f) return BigInt(b);
    if (b >= 0xe0) return BigInt(b - 256);
    const v = this.view;
    switch (b) {
      case 0xc0: return 0n;
      case 0xcc: return BigInt(this.buf[this.need(1)]!);
      case 0xcd: return BigInt(v.getUint16(this.need(2)));
      case 0xce: return BigInt(v.getUint32(this.need(4)));
      case 0xcf: return v.getBigUint64(this.need(8));
      case 0xd0: return BigInt(v.getInt8(this.need(1)));
      case 0xd1: return BigInt(v.getInt16(this.need(2)));
      case 0xd2: return BigInt(v.getInt32(this.need(4)));
      case 0xd3: return v.getBigInt64(this.need(8));
      // Some tracers write whole-number floats for ids and times.
      case 0xca: return floatToInt(v.getFloat32(this.need(4)), what, at, this);
      case 0xcb: return floatToInt(v.getFloat64(this.need(8)), what, at, this);
      default: return this.fail(`${what} must be an integer (msgpack type 0x${b.toString(16)})`, at);
    }
  }

  /** Any number as a double. */
  num(what: string): number {
    const b = this.peek();
    if (b === 0xca) return this.view.getFloat32(this.need(5) + 1);
    if (b === 0xcb) return this.view.getFloat64(this.need(9) + 1);
    return Number(this.int(what));
  }

  skip(depth = 0): void {
    if (depth > MAX_DEPTH) this.fail('values nested too deeply');
    const at = this.pos;
    const b = this.peek();
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) {
      this.pos++;
      return;
    }
    if ((b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf) {
      const n = this.mapLen('value');
      for (let i = 0; i < n; i++) {
        this.skip(depth + 1);
        this.skip(depth + 1);
      }
      return;
    }
    if ((b >= 0x90 && b <= 0x9f) || b === 0xdc || b === 0xdd) {
      const n = this.arrayLen('value');
      for (let i = 0; i < n; i++) this.skip(depth + 1);
      return;
    }
    if ((b >= 0xa0 && b <= 0xbf) || (b >= 0xd9 && b <= 0xdb) || (b >= 0xc4 && b <= 0xc6)) {
      this.str('value');
      return;
    }
    this.pos++;
    const fixed: Record<number, number> = { 0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8, 0xd4: 2, 0xd5: 3, 0xd6: 5, 0xd7: 9, 0xd8: 17 };
    if (fixed[b] !== undefined) {
      this.need(fixed[b]!);
      return;
    }
    if (b === 0xc7) return void this.need(this.buf[this.need(1)]! + 1);
    if (b === 0xc8) return void this.need(this.view.getUint16(this.need(2)) + 1);
    if (b === 0xc9) return void this.need(this.view.getUint32(this.need(4)) + 1);
    this.fail(`invalid msgpack type byte 0x${b.toString(16)}`, at);
  }
}

function floatToInt(f: number, what: string, at: number, r: MsgpackReader): bigint {
  if (!Number.isInteger(f)) r.fail(`${what} must be an integer, got ${f}`, at);
  return BigInt(f);
}

export class MsgpackWriter extends GrowableBytes {
  constructor() {
    super(4096);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
  private head(small: number, smallMax: number, b16: number, b32: number, n: number): void {
    this.ensure(5);
    if (n <= smallMax) this.buf[this.pos++] = small | n;
    else if (n < 0x10000) {
      this.buf[this.pos++] = b16;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else {
      this.buf[this.pos++] = b32;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    }
  }
  array(n: number): void { this.head(0x90, 15, 0xdc, 0xdd, n); }
  map(n: number): void { this.head(0x80, 15, 0xde, 0xdf, n); }
  str(s: string): void {
    const b = enc.encode(s);
    if (b.length <= 31) {
      this.ensure(1);
      this.buf[this.pos++] = 0xa0 | b.length;
    } else if (b.length < 0x100) {
      this.ensure(2);
      this.buf[this.pos++] = 0xd9;
      this.buf[this.pos++] = b.length;
    } else this.head(0, -1, 0xda, 0xdb, b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  uint64(v: bigint): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xcf;
    this.view.setBigUint64(this.pos, toU64(v));
    this.pos += 8;
  }
  int64(v: bigint): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xd3;
    this.view.setBigInt64(this.pos, toI64(v));
    this.pos += 8;
  }
  int32(v: number): void {
    this.ensure(5);
    this.buf[this.pos++] = 0xd2;
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  float64(v: number): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xcb;
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }
}
