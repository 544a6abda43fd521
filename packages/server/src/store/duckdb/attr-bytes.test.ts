/** Attributes written as bytes must be exactly the UTF-8 of the string encoding that search reads. */
import fc from 'fast-check';
import type { AnyValue, KeyValue } from '@skein/model';
import { describe, expect, it } from 'vitest';
import { AttributeBytes } from './attr-bytes.js';
import { AttrKeys } from './attr-keys.js';
import { encodeAttributes } from './codec.js';

// Every UTF-16 unit, lone surrogates and the separators \x1d-\x1f included.
const unit = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0x1c, max: 0x20 }), fc.integer({ min: 0x61, max: 0x63 }));
const text = fc.array(unit, { maxLength: 20 }).map((cs) => String.fromCharCode(...cs));
const value: fc.Arbitrary<AnyValue> = fc.oneof(
  text,
  fc.boolean(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.double(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 6 }),
  fc.array(text, { maxLength: 3 }),
  fc.record({ kvlist: fc.array(fc.record({ key: text, value: text }), { maxLength: 2 }) }),
);
const lists = fc.array(fc.array(fc.record({ key: text, value }), { maxLength: 6 }), { minLength: 1, maxLength: 30 });

describe('AttributeBytes', () => {
  it('writes the UTF-8 of encodeAttributes, coded keys and escapes included', () => {
    fc.assert(
      fc.property(lists, fc.integer({ min: 0, max: 8 }), (spans: KeyValue[][], maxKeys) => {
        // Two dictionaries fed the same keys in the same order code them alike.
        const bytes = new AttributeBytes(new AttrKeys(maxKeys));
        const strings = new AttrKeys(maxKeys);
        const views = spans.map((kvs) => bytes.encode(kvs));
        spans.forEach((kvs, i) => expect(Buffer.from(views[i]!)).toEqual(Buffer.from(encodeAttributes(kvs, strings), 'utf8')));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps earlier views intact when a list needs a block of its own, and reuses its block after reset', () => {
    const bytes = new AttributeBytes(new AttrKeys());
    const small = bytes.encode([{ key: 'k', value: 'v' }]);
    const copy = Buffer.from(small);
    const huge = bytes.encode([{ key: 'big', value: 'x'.repeat(3 << 20) }]);
    expect(huge.length).toBe((3 << 20) + 7); // \x1e\x1db\x1f, the value, \x1fs, \x1e
    expect(Buffer.from(small)).toEqual(copy);
    expect(Buffer.from(bytes.encode([]))).toEqual(Buffer.from('\x1e'));
    // After reset (the group's rows are in DuckDB) the block is written from its start again.
    bytes.reset();
    const again = bytes.encode([{ key: 'k', value: 'w' }]);
    expect(again.byteOffset).toBe(0);
    expect(Buffer.from(again).toString()).toBe('\x1e\x1da\x1fw\x1fs\x1e');
  });
});
