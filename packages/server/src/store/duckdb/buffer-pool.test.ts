import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('hands back a kept buffer big enough, or a new one with room to spare', () => {
    const pool = new BufferPool(2, 1 << 20);
    const small = pool.take(100);
    expect(small.byteLength).toBeGreaterThanOrEqual(125);
    const big = pool.take(200_000);
    expect(big.byteLength).toBeGreaterThanOrEqual(250_000);
    pool.give(small);
    pool.give(big);
    expect(pool.take(150_000)).toBe(big);
    expect(pool.take(10)).toBe(small);
    expect(pool.take(10)).not.toBe(small);
  });

  it('keeps neither transferred nor oversized buffers, and only the biggest when full', () => {
    const pool = new BufferPool(2, 1 << 20);
    const gone = new ArrayBuffer(64);
    structuredClone(gone, { transfer: [gone] });
    pool.give(gone);
    pool.give(new ArrayBuffer(2 << 20));
    expect(pool.drain()).toHaveLength(0);
    const [a, b, c] = [new ArrayBuffer(10), new ArrayBuffer(30), new ArrayBuffer(20)];
    for (const x of [a, b, c]) pool.give(x);
    const kept = pool.drain().sort((x, y) => x.byteLength - y.byteLength);
    expect(kept).toHaveLength(2);
    expect(kept[0]).toBe(c);
    expect(kept[1]).toBe(b);
    expect(pool.drain()).toHaveLength(0);
  });
});
