/** RowBinary values written and read back, and the content hash that tells duplicate rows apart. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RowBinaryReader, RowBinaryWriter } from './row-binary.js';
import { hash64 } from './rows.js';

describe('RowBinaryWriter', () => {
  it('writes any text (short ASCII copied in JS, the rest through Buffer), bytes and ids as the reader reads them', () => {
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom('a', '~', '\x7f', '\x00'), minLength: 120, maxLength: 140 }),
      fc.uint8Array({ maxLength: 300 }),
    );
    const w = new RowBinaryWriter();
    fc.assert(
      fc.property(fc.array(value), fc.array(fc.uint8Array({ minLength: 8, maxLength: 8 })), (values, ids) => {
        w.reset(); // reused, as the store's writer reuses one for every INSERT
        for (const v of values) w.string(v);
        for (const id of ids) w.hex(Buffer.from(id).toString('hex'));
        const r = new RowBinaryReader(Buffer.from(w.finish()));
        for (const v of values) {
          if (typeof v === 'string') expect(r.string()).toBe(Buffer.from(v, 'utf8').toString('utf8'));
          else expect(new Uint8Array(r.bytes())).toEqual(v);
        }
        for (const id of ids) expect(new Uint8Array(r.fixed(8))).toEqual(id);
        expect(r.done).toBe(true);
      }),
    );
  });
});

describe('hash64', () => {
  it('is the same for the same bytes and changes with any one byte, tail bytes included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
        expect(hash64(bytes.slice())).toBe(hash64(bytes));
        const other = bytes.slice();
        other[at % other.length] = (other[at % other.length]! + delta) & 0xff;
        expect(hash64(other)).not.toBe(hash64(bytes));
      }),
      { numRuns: 2000 },
    );
    // a longer message that only adds zero bytes is another message
    expect(hash64(new Uint8Array([1, 0]))).not.toBe(hash64(new Uint8Array([1])));
  });
});
