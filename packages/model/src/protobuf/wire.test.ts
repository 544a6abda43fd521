/** ProtoReader/ProtoWriter against protobufjs's wire reader and writer, plus malformed input. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import Long from 'long';
import { ProtoReader } from './reader.js';
import { ProtoWriter } from './writer.js';
import { DecodeError } from './decode-error.js';

type Field =
  | { k: 'uint32'; f: number; v: number }
  | { k: 'int32'; f: number; v: number }
  | { k: 'sint32'; f: number; v: number }
  | { k: 'uint64'; f: number; v: bigint }
  | { k: 'int64'; f: number; v: bigint }
  | { k: 'sint64'; f: number; v: bigint }
  | { k: 'fixed32'; f: number; v: number }
  | { k: 'fixed64'; f: number; v: bigint }
  | { k: 'sfixed64'; f: number; v: bigint }
  | { k: 'double'; f: number; v: number }
  | { k: 'bool'; f: number; v: boolean }
  | { k: 'string'; f: number; v: string }
  | { k: 'bytes'; f: number; v: Uint8Array };

const fno = fc.integer({ min: 1, max: (1 << 29) - 1 });
const field: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ k: fc.constant('uint32' as const), f: fno, v: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ k: fc.constant('int32' as const), f: fno, v: fc.integer({ min: -0x80000000, max: 0x7fffffff }) }),
  fc.record({ k: fc.constant('sint32' as const), f: fno, v: fc.integer({ min: -0x80000000, max: 0x7fffffff }) }),
  fc.record({ k: fc.constant('uint64' as const), f: fno, v: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
  fc.record({ k: fc.constant('int64' as const), f: fno, v: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
  fc.record({ k: fc.constant('sint64' as const), f: fno, v: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
  fc.record({ k: fc.constant('fixed32' as const), f: fno, v: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ k: fc.constant('fixed64' as const), f: fno, v: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
  fc.record({ k: fc.constant('sfixed64' as const), f: fno, v: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
  fc.record({ k: fc.constant('double' as const), f: fno, v: fc.double({ noNaN: true }) }),
  fc.record({ k: fc.constant('bool' as const), f: fno, v: fc.boolean() }),
  fc.record({ k: fc.constant('string' as const), f: fno, v: fc.string({ unit: 'grapheme', maxLength: 40 }) }),
  fc.record({ k: fc.constant('bytes' as const), f: fno, v: fc.uint8Array({ maxLength: 300 }) }),
);

const long = (v: bigint, unsigned: boolean) => Long.fromString(v.toString(), unsigned);
const big = (l: Long | number) => BigInt(l.toString());

function writeMine(fields: Field[]): Uint8Array {
  const w = new ProtoWriter(8);
  for (const x of fields) (w[x.k] as (f: number, v: unknown) => void)(x.f, x.v);
  return w.finish().slice();
}

function writeRef(fields: Field[]): Uint8Array {
  const w = protobuf.Writer.create();
  const wt: Record<Field['k'], number> = { uint32: 0, int32: 0, sint32: 0, uint64: 0, int64: 0, sint64: 0, bool: 0, fixed32: 5, fixed64: 1, sfixed64: 1, double: 1, string: 2, bytes: 2 };
  for (const x of fields) {
    w.uint32(((x.f << 3) | wt[x.k]) >>> 0);
    if (typeof x.v === 'bigint') w[x.k as 'uint64'](long(x.v, x.k === 'uint64' || x.k === 'fixed64'));
    else (w[x.k] as (v: unknown) => void)(x.v);
  }
  return new Uint8Array(w.finish());
}

function readMine(buf: Uint8Array, fields: Field[]): unknown[] {
  const r = new ProtoReader(buf);
  return fields.map((x) => {
    const tag = r.tag();
    expect(tag >>> 3).toBe(x.f);
    const v = (r[x.k] as () => unknown).call(r);
    return v instanceof Uint8Array ? new Uint8Array(v) : v;
  });
}

function readRef(buf: Uint8Array, fields: Field[]): unknown[] {
  const r = protobuf.Reader.create(buf);
  return fields.map((x) => {
    expect(r.uint32() >>> 3).toBe(x.f);
    const v = (r[x.k] as () => unknown).call(r);
    if (v instanceof Uint8Array) return new Uint8Array(v);
    return typeof x.v === 'bigint' ? big(v as Long) : v;
  });
}

const norm = (fields: Field[]) => fields.map((x) => (x.k === 'string' ? x.v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') : x.v));

describe('protobuf wire', () => {
  it('writes what protobufjs reads, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 20 }), (fields) => {
        const mine = writeMine(fields);
        expect(mine).toEqual(writeRef(fields));
        expect(readRef(mine, fields)).toEqual(norm(fields));
      }),
      { numRuns: 300 },
    );
  });

  it('reads what protobufjs writes', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 20 }), (fields) => {
        expect(readMine(writeRef(fields), fields)).toEqual(norm(fields));
      }),
      { numRuns: 300 },
    );
  });

  it('reads views at any byte offset (pooled Node buffers)', () => {
    const w = new ProtoWriter();
    w.fixed64(1, 1700000000123456789n);
    w.double(2, -1.25);
    w.sfixed64(3, -5n);
    const body = w.finish();
    const pool = Buffer.alloc(body.length + 3);
    pool.set(body, 3);
    const r = new ProtoReader(pool.subarray(3));
    r.tag();
    expect(r.fixed64()).toBe(1700000000123456789n);
    r.tag();
    expect(r.double()).toBe(-1.25);
    r.tag();
    expect(r.sfixed64()).toBe(-5n);
    expect(r.pos).toBe(r.end);
  });

  it('skips every wire type, groups included', () => {
    const w = new ProtoWriter(4);
    w.uint64(1, 2n ** 63n);
    w.fixed64(2, 5n);
    w.string(3, 'x'.repeat(200));
    w.tag(4, 3); // start group with nested fields and a nested group
    w.uint32(5, 7);
    w.tag(6, 3);
    w.fixed32(7, 1);
    w.tag(6, 4);
    w.tag(4, 4);
    w.fixed32(8, 9);
    w.uint32(9, 42);
    const r = new ProtoReader(w.finish());
    let found = -1;
    while (r.pos < r.end) {
      const t = r.tag();
      if (t >>> 3 === 9) found = r.uint32();
      else r.skip(t & 7);
    }
    expect(found).toBe(42);
  });

  it('back-patches long nested lengths', () => {
    const w = new ProtoWriter(2);
    const outer = w.begin(1);
    const inner = w.begin(2);
    w.bytes(3, new Uint8Array(20000).fill(7));
    w.end(inner);
    w.end(outer);
    const r = new ProtoReader(w.finish());
    expect(r.tag()).toBe(10);
    const o = r.enter();
    expect(r.tag()).toBe(18);
    const o2 = r.enter();
    expect(r.tag()).toBe(26);
    const b = r.bytes();
    expect(b.length).toBe(20000);
    expect(b.every((x) => x === 7)).toBe(true);
    r.leave(o2);
    r.leave(o);
    expect(r.pos).toBe(r.end);
  });

  it('throws DecodeError with the offset for truncated and malformed input', () => {
    const w = new ProtoWriter();
    w.string(1, 'hello');
    const buf = w.finish();
    const r = new ProtoReader(buf.subarray(0, 4));
    r.tag();
    expect(() => r.string()).toThrowError(/length 5 exceeds the 2 bytes left at byte 1/);
    expect(() => new ProtoReader(new Uint8Array([0x80, 0x80])).uint32()).toThrowError(DecodeError);
    expect(() => new ProtoReader(new Uint8Array(11).fill(0xff)).uint64()).toThrowError(/longer than 10 bytes/);
    expect(() => new ProtoReader(new Uint8Array([0x0f])).skip(7)).toThrowError(/invalid wire type 7/);
    expect(() => new ProtoReader(new Uint8Array([0x00])).tag()).toThrowError(/field number 0/);
    expect(() => new ProtoReader(new Uint8Array([1, 2, 3])).fixed64()).toThrowError(/truncated/);
  });

  it('never throws anything but DecodeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = new ProtoReader(bytes);
        try {
          while (r.pos < r.end) r.skip(r.tag() & 7);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
