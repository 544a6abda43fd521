import { describe, expect, it } from 'vitest';
import type { Span } from '@skein/model';
import { BatchProcessor } from './batch/index.js';
import { MemoryLimiter } from './memory-limiter/index.js';
import { OverloadedError } from '../pipeline/errors.js';
import { makeSpan } from '../test-support/spans.js';

describe('BatchProcessor', () => {
  it('groups concurrent calls into one downstream call and settles each with it', async () => {
    const calls: Span[][] = [];
    const batch = new BatchProcessor({ sendBatchSize: 100, timeoutMs: 20 }, { consume: async (s) => void calls.push(s) });
    await Promise.all([batch.consume([makeSpan()]), batch.consume([makeSpan(), makeSpan()]), batch.consume([makeSpan()])]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(4);
  });

  it('flushes at the size limit and propagates a downstream failure to every caller of that batch', async () => {
    const batch = new BatchProcessor({ sendBatchSize: 2, timeoutMs: 10_000 }, {
      consume: async () => {
        throw new Error('disk full');
      },
    });
    const results = await Promise.allSettled([batch.consume([makeSpan()]), batch.consume([makeSpan()])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('with maxInFlight, sends at once while downstream has room and gathers spans while it is busy', async () => {
    const calls: number[] = [];
    const releases: Array<() => void> = [];
    const batch = new BatchProcessor({ sendBatchSize: 1000, timeoutMs: 60_000, maxInFlight: 1 }, {
      consume: (s) => {
        calls.push(s.length);
        return new Promise<void>((r) => releases.push(r));
      },
    });
    const first = batch.consume([makeSpan()]);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([1]); // not held for the 60 s timeout
    const waiting = [batch.consume([makeSpan()]), batch.consume([makeSpan(), makeSpan()])];
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([1]); // downstream busy: these wait and grow one batch
    releases[0]!();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([1, 3]);
    releases[1]!();
    await Promise.all(waiting);
  });
});

describe('MemoryLimiter', () => {
  it('refuses with OverloadedError while too many spans are in flight, then accepts again', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const limiter = new MemoryLimiter({ limitBytes: 0, maxInFlightSpans: 2, checkIntervalMs: 100 }, { consume: () => slow });
    const first = limiter.consume([makeSpan(), makeSpan()]);
    await expect(limiter.consume([makeSpan()])).rejects.toBeInstanceOf(OverloadedError);
    expect(limiter.refused).toBe(1);
    release();
    await first;
    await expect(limiter.consume([makeSpan()])).resolves.toBeUndefined();
  });
});
