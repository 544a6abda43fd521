/**
 * withRetry: the one retry helper for every Sender. Exponential backoff with jitter, a cap on
 * total elapsed time, the peer's Retry-After honoured, permanent errors never retried (counted).
 */
import type { Span } from '@skein/model';
import { PermanentError, RetryableError } from '../pipeline/errors.js';
import type { Sender } from './sender.js';

export interface RetryOptions {
  /** First backoff delay; default 500 ms. */
  initialIntervalMs?: number;
  /** Largest backoff delay; default 30 s. */
  maxIntervalMs?: number;
  multiplier?: number;
  /** Random spread of each delay, 0..1 (0.5 means ±50 %); default 0.5. */
  jitter?: number;
  /** Give up after this long (Infinity for a spool that must never drop); default 5 min. */
  maxElapsedMs?: number;
  /** The longest Retry-After honoured, so one odd answer cannot park a destination for a day; default 5 min. */
  maxRetryAfterMs?: number;
  onRetry?(err: RetryableError, delayMs: number, attempt: number): void;
  onPermanent?(err: PermanentError): void;
}

export interface RetryStats {
  /** Batches delivered. */
  sent: number;
  /** Attempts that failed and were retried. */
  retried: number;
  /** Batches given up on after maxElapsedMs. */
  failed: number;
  /** Batches dropped because the peer refused them for good. */
  permanent: number;
}

export type RetryingSender = Sender & { readonly stats: RetryStats };

/** Any error that is not a PermanentError is worth another try (network, timeout, 5xx). */
export function asRetryable(err: unknown): RetryableError | PermanentError {
  if (err instanceof PermanentError || err instanceof RetryableError) return err;
  return new RetryableError(err instanceof Error ? err.message : String(err));
}

export function backoffDelay(attempt: number, o: Required<Pick<RetryOptions, 'initialIntervalMs' | 'maxIntervalMs' | 'multiplier' | 'jitter'>>): number {
  const base = Math.min(o.maxIntervalMs, o.initialIntervalMs * o.multiplier ** attempt);
  return Math.max(0, base * (1 - o.jitter + 2 * o.jitter * Math.random()));
}

/** Sleeps `ms`, waking early (with an AbortError) when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason ?? new Error('aborted'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function withRetry(sender: Sender, opts: RetryOptions = {}): RetryingSender {
  const o = {
    initialIntervalMs: opts.initialIntervalMs ?? 500,
    maxIntervalMs: opts.maxIntervalMs ?? 30_000,
    multiplier: opts.multiplier ?? 2,
    jitter: opts.jitter ?? 0.5,
  };
  const maxElapsed = opts.maxElapsedMs ?? 300_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 300_000;
  const stats: RetryStats = { sent: 0, retried: 0, failed: 0, permanent: 0 };
  return {
    name: sender.name,
    stats,
    close: sender.close?.bind(sender),
    async send(spans: Span[], signal?: AbortSignal): Promise<void> {
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          await sender.send(spans, signal);
          stats.sent++;
          return;
        } catch (e) {
          if (signal?.aborted) throw e;
          const err = asRetryable(e);
          if (err instanceof PermanentError) {
            stats.permanent++;
            opts.onPermanent?.(err);
            throw err;
          }
          const delay =
            err.retryAfterMs !== undefined ? Math.min(Math.max(err.retryAfterMs, 0), maxRetryAfter) : backoffDelay(attempt, o);
          if (Date.now() - started + delay > maxElapsed) {
            stats.failed++;
            throw err;
          }
          stats.retried++;
          opts.onRetry?.(err, delay, attempt + 1);
          await sleep(delay, signal);
        }
      }
    },
  };
}
