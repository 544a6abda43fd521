/**
 * A Sender delivers one batch to one remote backend, once. Retry, backoff, queueing and spooling
 * are layered around it (exporters/retry.ts, forwarder/), never inside it.
 */
import type { Span } from '@skein/model';

export interface Sender {
  /** A short name for logs and metrics, e.g. "zipkin http://127.0.0.1:9411". */
  readonly name: string;
  /**
   * Sends the spans. Resolves when the backend accepted them. Rejects with RetryableError
   * (network error, timeout, 429, 5xx; retryAfterMs from Retry-After) or PermanentError
   * (any other 4xx, or data the format cannot carry at all).
   */
  send(spans: Span[], signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}
