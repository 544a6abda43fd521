/** KeySet: no false negatives for spans at or after its floor, bounded size, safe eviction. */
import { describe, expect, it } from 'vitest';
import { hashWords, KeySet, spanKey } from './span-keys.js';

const S = 1_000_000_000n;
const id = (n: number): string => n.toString(16).padStart(32, '0');
const key = (n: number): number => spanKey(id(n), '00000000000000ff');

describe('KeySet', () => {
  it('hashes hex ids like their six words', () => {
    const hex = 'ffffffff0000000180000000deadbeef';
    expect(spanKey(hex, '00000002fffffffe')).toBe(hashWords(0xffffffff, 1, 0x80000000, 0xdeadbeef, 2, 0xfffffffe));
    expect(spanKey(id(1), '0000000000000001')).not.toBe(spanKey(id(1), '0000000000000002'));
  });

  it('evicts the older keys, raising the floor past every one it dropped', () => {
    const set = new KeySet(1000);
    for (let i = 0; i < 5000; i++) set.add(key(i), BigInt(i) * S);
    expect(set.size).toBeLessThanOrEqual(1000);
    expect(set.floorNs).toBeGreaterThan(0n);
    for (let i = 0; i < 5000; i++) {
      // Anything that may have spans at or after the floor must still be known.
      if (BigInt(i) * S >= set.floorNs) expect(set.has(key(i))).toBe(true);
    }
  });

  it('grows when start times are too bunched to evict by age, but only to four times its capacity', () => {
    const set = new KeySet(100);
    for (let i = 0; i < 300; i++) set.add(key(i), 5n * S);
    expect(set.floorNs).toBe(-(2n ** 63n));
    for (let i = 0; i < 300; i++) expect(set.has(key(i))).toBe(true);
    for (let i = 300; i < 5000; i++) set.add(key(i), 5n * S);
    expect(set.size).toBeLessThanOrEqual(400);
    // what it dropped is below the floor, so those spans take the exact path
    expect(set.floorNs).toBeGreaterThan(5n * S);
  });

  it('drops evicted keys a few slots per add, knowing every key at or after the floor meanwhile', () => {
    const set = new KeySet(100_000);
    const known = (upTo: number): void => {
      for (let i = 0; i <= upTo; i += 7) if (BigInt(i) * S >= set.floorNs) expect(set.has(key(i))).toBe(true);
    };
    for (let i = 0; i <= 100_000; i++) set.add(key(i), BigInt(i) * S);
    // The add that filled the set raised the floor at once, but dropped nothing yet: rebuilding
    // the whole table in that one add held the event loop for 80-160 ms under ingest.
    expect(set.floorNs).toBeGreaterThan(40_000n * S);
    expect(set.size).toBeGreaterThan(90_000);
    known(100_000);
    for (let i = 100_001; i <= 120_000; i++) set.add(key(i), BigInt(i) * S);
    expect(set.size).toBeLessThan(75_000);
    known(120_000);
  });
});
