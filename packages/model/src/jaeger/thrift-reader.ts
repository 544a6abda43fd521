/** Bounds-checked readers for Thrift's binary and compact protocols, behind one interface. */
import { DecodeError } from '../protobuf/decode-error.js';
import { utf8Read } from '../protobuf/utf8.js';
import { joinI64 } from '../protobuf/reader.js';

/** Thrift type ids as the binary protocol writes them; the compact reader maps its own onto these. */
export const TType = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15 } as const;

const MAX_DEPTH = 64;

export abstract class ThriftReader {
  pos = 0;
  readonly view: DataView;
  /** Set by field(): the field's type (STOP at the end of a struct) and id. */
  fieldType = 0;
  fieldId = 0;
  /** Set by listBegin()/mapBegin(): element type(s) and count. */
  elemType = 0;
  valueType = 0;
  size = 0;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(reason: string, at = this.pos): never {
    throw new DecodeError(reason, at);
  }

  need(n: number): number {
    const p = this.pos;
    if (n < 0 || p + n > this.buf.length) this.fail(`truncated: need ${n} bytes, ${this.buf.length - p} left`);
    this.pos = p + n;
    return p;
  }

  /** Checks a collection count against the bytes left (every element takes at least one byte). */
  protected checkSize(n: number, at: number): number {
    if (n < 0 || n > this.buf.length - this.pos) this.fail(`collection of ${n} elements cannot fit in ${this.buf.length - this.pos} bytes`, at);
    return n;
  }

  abstract structBegin(): void;
  abstract structEnd(): void;
  /** Reads the next field header into fieldType/fieldId; returns false at the struct's end. */
  abstract field(): boolean;
  abstract bool(): boolean;
  abstract byte(): number;
  abstract i16(): number;
  abstract i32(): number;
  abstract i64(): bigint;
  abstract double(): number;
  abstract binary(): Uint8Array;
  abstract listBegin(): void;
  abstract mapBegin(): void;
  /** Reads a message header; returns its method name (type and seqid are not needed here). */
  abstract messageBegin(): string;

  string(): string {
    const b = this.binary();
    return utf8Read(b, 0, b.length);
  }

  /** Skips a value of the given type. */
  skip(type: number, depth = 0): void {
    if (depth > MAX_DEPTH) this.fail('values nested too deeply');
    switch (type) {
      case TType.BOOL: this.bool(); return;
      case TType.BYTE: this.byte(); return;
      case TType.DOUBLE: this.double(); return;
      case TType.I16: this.i16(); return;
      case TType.I32: this.i32(); return;
      case TType.I64: this.i64(); return;
      case TType.STRING: this.binary(); return;
      case TType.STRUCT:
        this.structBegin();
        while (this.field()) this.skip(this.fieldType, depth + 1);
        this.structEnd();
        return;
      case TType.LIST:
      case TType.SET: {
        this.listBegin();
        const { elemType, size } = this;
        for (let i = 0; i < size; i++) this.skip(elemType, depth + 1);
        return;
      }
      case TType.MAP: {
        this.mapBegin();
        const { elemType, valueType, size } = this;
        for (let i = 0; i < size; i++) {
          this.skip(elemType, depth + 1);
          this.skip(valueType, depth + 1);
        }
        return;
      }
      default:
        this.fail(`unknown thrift type ${type}`);
    }
  }

  /** Fails unless the last field has the expected type (a mistyped field would be misread). */
  expect(type: number, what: string): void {
    if (this.fieldType !== type) this.fail(`${what} has thrift type ${this.fieldType}, expected ${type}`);
  }
}

/** TBinaryProtocol: big-endian fixed-width integers, i32 length prefixes. */
export class BinaryReader extends ThriftReader {
  structBegin(): void {}
  structEnd(): void {}
  field(): boolean {
    this.fieldType = this.byte();
    if (this.fieldType === TType.STOP) return false;
    this.fieldId = this.i16();
    return true;
  }
  bool(): boolean { return this.byte() !== 0; }
  byte(): number { return this.buf[this.need(1)]!; }
  i16(): number { return this.view.getInt16(this.need(2)); }
  i32(): number { return this.view.getInt32(this.need(4)); }
  i64(): bigint { return this.view.getBigInt64(this.need(8)); }
  double(): number { return this.view.getFloat64(this.need(8)); }
  binary(): Uint8Array {
    const at = this.pos;
    const n = this.i32();
    if (n < 0) this.fail(`negative length ${n}`, at);
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }
  listBegin(): void {
    const at = this.pos;
    this.elemType = this.byte();
    this.size = this.checkSize(this.i32(), at);
  }
  mapBegin(): void {
    const at = this.pos;
    this.elemType = this.byte();
    this.valueType = this.byte();
    this.size = this.checkSize(this.i32(), at);
  }
  messageBegin(): string {
    const at = this.pos;
    const first = this.i32();
    if (first < 0) {
      if ((first & 0xffff0000) !== (0x80010000 | 0)) this.fail(`bad thrift binary message version 0x${(first >>> 0).toString(16)}`, at);
      const name = this.string();
      this.i32();
      return name;
    }
    // Old non-strict header: name, type byte, seqid.
    this.pos = at;
    const name = this.string();
    this.byte();
    this.i32();
    return name;
  }
}

/** Compact type ids -> binary type ids. */
const FROM_COMPACT = [TType.STOP, TType.BOOL, TType.BOOL, TType.BYTE, TType.I16, TType.I32, TType.I64, TType.DOUBLE, TType.STRING, TType.LIST, TType.SET, TType.MAP, TType.STRUCT];

/** TCompactProtocol: zigzag varints, field-id deltas, bools folded into field headers. */
export class CompactReader extends ThriftReader {
  private lastId = 0;
  private readonly stack: number[] = [];
  /** A bool whose value came in the field header. */
  private pendingBool: boolean | undefined;

  private compactType(t: number): number {
    const mapped = FROM_COMPACT[t];
    if (mapped === undefined) this.fail(`unknown compact type ${t}`, this.pos - 1);
    return mapped;
  }
  private varint(): number {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf[this.need(1)]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
    return this.fail('varint longer than 5 bytes');
  }
  /** High half of the last varint64Parts read. */
  private hi = 0;
  /** A 64-bit varint in two unsigned 32-bit halves (low returned, high in `hi`): no BigInt on the way. */
  private varint64Parts(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.need(1)]!;
      if (i < 4) lo |= (b & 0x7f) << (i * 7);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (i * 7 - 32);
      if (b < 0x80) {
        this.hi = hi >>> 0;
        return lo >>> 0;
      }
    }
    return this.fail('varint longer than 10 bytes');
  }
  private zigzag32(): number {
    const n = this.varint() >>> 0;
    return (n >>> 1) ^ -(n & 1);
  }
  structBegin(): void {
    if (this.stack.length > MAX_DEPTH) this.fail('structs nested too deeply');
    this.stack.push(this.lastId);
    this.lastId = 0;
  }
  structEnd(): void {
    this.lastId = this.stack.pop() ?? 0;
  }
  field(): boolean {
    const at = this.pos;
    const b = this.byte();
    const t = b & 0x0f;
    if (t === 0) {
      this.fieldType = TType.STOP;
      return false;
    }
    const delta = b >> 4;
    this.fieldId = delta === 0 ? this.zigzag32() : this.lastId + delta;
    if (this.fieldId > 32767 || this.fieldId < -32768) this.fail(`field id ${this.fieldId} out of range`, at);
    this.lastId = this.fieldId;
    this.fieldType = this.compactType(t);
    this.pendingBool = t === 1 ? true : t === 2 ? false : undefined;
    return true;
  }
  bool(): boolean {
    if (this.pendingBool !== undefined) {
      const v = this.pendingBool;
      this.pendingBool = undefined;
      return v;
    }
    return this.byte() === 1;
  }
  byte(): number { return this.buf[this.need(1)]!; }
  i16(): number { return this.zigzag32(); }
  i32(): number { return this.zigzag32(); }
  i64(): bigint {
    const lo = this.varint64Parts();
    const hi = this.hi;
    // zigzag on the halves: (n >>> 1) ^ -(n & 1)
    const sign = -(lo & 1);
    return joinI64((((lo >>> 1) | (hi << 31)) ^ sign) >>> 0, ((hi >>> 1) ^ sign) >>> 0);
  }
  double(): number { return this.view.getFloat64(this.need(8), true); }
  binary(): Uint8Array {
    const n = this.varint();
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }
  listBegin(): void {
    const at = this.pos;
    const b = this.byte();
    let n = b >> 4;
    if (n === 15) n = this.varint();
    this.elemType = this.compactType(b & 0x0f);
    this.pendingBool = undefined;
    this.size = this.checkSize(n, at);
  }
  mapBegin(): void {
    const at = this.pos;
    const n = this.varint();
    if (n > 0) {
      const kv = this.byte();
      this.elemType = this.compactType(kv >> 4);
      this.valueType = this.compactType(kv & 0x0f);
    }
    this.pendingBool = undefined;
    this.size = this.checkSize(n, at);
  }
  messageBegin(): string {
    const at = this.pos;
    if (this.byte() !== 0x82) this.fail('not a thrift compact message (protocol id 0x82 expected)', at);
    const vt = this.byte();
    if ((vt & 0x1f) !== 1) this.fail(`unsupported thrift compact version ${vt & 0x1f}`, at + 1);
    this.varint();
    return this.string();
  }
}
