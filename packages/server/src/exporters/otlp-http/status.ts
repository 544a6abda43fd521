/** Maps an HTTP answer or a network failure to the Sender error contract (retryable vs permanent). */
import { PermanentError, RetryableError } from '../../pipeline/errors.js';

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The error for a non-2xx answer: 408, 429, 500 and 502-504 are worth retrying (500 too: a
 * collector restarting mid-request answers it), any other status is permanent.
 */
export function errorForStatus(what: string, status: number, body: string, retryAfter?: string | string[]): Error {
  const detail = body.length > 300 ? `${body.slice(0, 300)}...` : body;
  const msg = `${what}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
  if (RETRYABLE_STATUS.has(status)) return new RetryableError(msg, parseRetryAfter(retryAfter));
  return new PermanentError(msg);
}

/** Network errors (refused, reset, DNS, timeout) are always retryable. */
export function errorForNetwork(what: string, err: Error): RetryableError {
  const code = (err as NodeJS.ErrnoException).code;
  return new RetryableError(`${what}: ${code ? `${code} ` : ''}${err.message}`);
}
