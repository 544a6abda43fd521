/** Writers for Thrift's binary and compact protocols, behind one interface (the encoder uses both). */
import { GrowableBytes } from '../growable-bytes.js';
import { toI64, toU64 } from '../int64.js';
import { TType } from './thrift-reader.js';

const enc = new TextEncoder();

export abstract class ThriftWriter extends GrowableBytes {
  constructor() {
    super(1024);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
  protected u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  abstract structBegin(): void;
  abstract structEnd(): void;
  abstract fieldBegin(type: number, id: number): void;
  abstract stop(): void;
  abstract boolField(id: number, v: boolean): void;
  abstract i32(v: number): void;
  abstract i64(v: bigint): void;
  abstract double(v: number): void;
  abstract binary(b: Uint8Array): void;
  abstract listBegin(elemType: number, size: number): void;
  abstract messageBegin(name: string, type: number, seqid: number): void;

  string(s: string): void {
    this.binary(enc.encode(s));
  }
  i32Field(id: number, v: number): void {
    this.fieldBegin(TType.I32, id);
    this.i32(v);
  }
  i64Field(id: number, v: bigint): void {
    this.fieldBegin(TType.I64, id);
    this.i64(v);
  }
  stringField(id: number, s: string): void {
    this.fieldBegin(TType.STRING, id);
    this.string(s);
  }
}

export class BinaryWriter extends ThriftWriter {
  structBegin(): void {}
  structEnd(): void {}
  fieldBegin(type: number, id: number): void {
    this.ensure(3);
    this.buf[this.pos++] = type;
    this.view.setInt16(this.pos, id);
    this.pos += 2;
  }
  stop(): void { this.u8(0); }
  boolField(id: number, v: boolean): void {
    this.fieldBegin(TType.BOOL, id);
    this.u8(v ? 1 : 0);
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, toI64(v));
    this.pos += 8;
  }
  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }
  binary(b: Uint8Array): void {
    this.i32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  listBegin(elemType: number, size: number): void {
    this.u8(elemType);
    this.i32(size);
  }
  messageBegin(name: string, type: number, seqid: number): void {
    this.i32((0x80010000 | type) | 0);
    this.string(name);
    this.i32(seqid);
  }
}

const TO_COMPACT: Record<number, number> = { 2: 1, 3: 3, 4: 7, 6: 4, 8: 5, 10: 6, 11: 8, 12: 12, 13: 11, 14: 10, 15: 9 };

export class CompactWriter extends ThriftWriter {
  private lastId = 0;
  private readonly stack: number[] = [];

  private varint(v: number): void {
    this.ensure(5);
    let n = v >>> 0;
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }
  private varint64(v: bigint): void {
    this.ensure(10);
    let n = toU64(v);
    while (n >= 0x80n) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }
  structBegin(): void {
    this.stack.push(this.lastId);
    this.lastId = 0;
  }
  structEnd(): void {
    this.lastId = this.stack.pop() ?? 0;
  }
  private header(ctype: number, id: number): void {
    const delta = id - this.lastId;
    if (delta > 0 && delta <= 15) this.u8((delta << 4) | ctype);
    else {
      this.u8(ctype);
      this.varint(((id << 1) ^ (id >> 31)) >>> 0);
    }
    this.lastId = id;
  }
  fieldBegin(type: number, id: number): void {
    this.header(TO_COMPACT[type]!, id);
  }
  stop(): void { this.u8(0); }
  boolField(id: number, v: boolean): void {
    this.header(v ? 1 : 2, id);
  }
  i32(v: number): void {
    this.varint(((v << 1) ^ (v >> 31)) >>> 0);
  }
  i64(v: bigint): void {
    const n = toI64(v);
    this.varint64((n << 1n) ^ (n >> 63n));
  }
  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  binary(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  listBegin(elemType: number, size: number): void {
    const t = TO_COMPACT[elemType]!;
    if (size < 15) this.u8((size << 4) | t);
    else {
      this.u8(0xf0 | t);
      this.varint(size);
    }
  }
  messageBegin(name: string, type: number, seqid: number): void {
    this.u8(0x82);
    this.u8((type << 5) | 1);
    this.varint(seqid);
    this.string(name);
  }
}
