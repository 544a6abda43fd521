import type { Span } from '@skein/model';
import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../pipeline/errors.js';
import { backoffDelay, withRetry } from './retry.js';
import type { Sender } from './sender.js';

/** A sender that fails with the given errors in turn, then succeeds; records attempt times. */
function flaky(errors: Error[]): Sender & { times: number[] } {
  const times: number[] = [];
  return {
    name: 'flaky',
    times,
    async send() {
      times.push(Date.now());
      const e = errors.shift();
      if (e) throw e;
    },
  };
}

describe('withRetry', () => {
  it('retries retryable errors with growing, jittered delays and counts them', async () => {
    const s = flaky([new RetryableError('a'), new RetryableError('b'), new Error('ECONNRESET')]);
    const delays: number[] = [];
    const r = withRetry(s, { initialIntervalMs: 10, multiplier: 2, jitter: 0.5, onRetry: (_e, d) => delays.push(d) });
    await r.send([] as Span[]);
    expect(r.stats).toEqual({ sent: 1, retried: 3, failed: 0, permanent: 0 });
    expect(delays[0]).toBeGreaterThanOrEqual(5);
    expect(delays[0]).toBeLessThanOrEqual(15);
    expect(delays[2]).toBeGreaterThanOrEqual(20);
    expect(delays[2]).toBeLessThanOrEqual(60);
  });

  it('waits what Retry-After asks instead of its own backoff', async () => {
    const s = flaky([new RetryableError('busy', 120)]);
    const r = withRetry(s, { initialIntervalMs: 1 });
    await r.send([]);
    expect(s.times[1]! - s.times[0]!).toBeGreaterThanOrEqual(110);
  });

  it('caps a silly Retry-After', async () => {
    const s = flaky([new RetryableError('busy', 86_400_000)]);
    const r = withRetry(s, { maxRetryAfterMs: 30 });
    await r.send([]);
    expect(s.times[1]! - s.times[0]!).toBeLessThan(1000);
  });

  it('never retries a permanent error, and counts it', async () => {
    const s = flaky([new PermanentError('400 bad')]);
    let seen = 0;
    const r = withRetry(s, { onPermanent: () => seen++ });
    await expect(r.send([])).rejects.toBeInstanceOf(PermanentError);
    expect(s.times.length).toBe(1);
    expect(r.stats.permanent).toBe(1);
    expect(seen).toBe(1);
  });

  it('gives up after maxElapsedMs', async () => {
    const s = flaky(Array.from({ length: 100 }, () => new RetryableError('down')));
    const r = withRetry(s, { initialIntervalMs: 20, maxIntervalMs: 20, jitter: 0, maxElapsedMs: 100 });
    await expect(r.send([])).rejects.toThrow('down');
    expect(r.stats.failed).toBe(1);
    expect(s.times.length).toBeLessThanOrEqual(7);
  });

  it('stops waiting when aborted', async () => {
    const s = flaky([new RetryableError('down', 10_000)]);
    const r = withRetry(s);
    const ac = new AbortController();
    const p = r.send([], ac.signal);
    setTimeout(() => ac.abort(new Error('stop')), 20);
    await expect(p).rejects.toThrow('stop');
  });

  it('caps the backoff', () => {
    const o = { initialIntervalMs: 100, maxIntervalMs: 1000, multiplier: 2, jitter: 0 };
    expect(backoffDelay(0, o)).toBe(100);
    expect(backoffDelay(3, o)).toBe(800);
    expect(backoffDelay(10, o)).toBe(1000);
  });
});
