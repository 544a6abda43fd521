/**
 * Errors that cross the pipeline. Receivers map them to protocol answers:
 * BadData -> 400 / INVALID_ARGUMENT, Overloaded -> 429 or 503 + Retry-After /
 * RESOURCE_EXHAUSTED or UNAVAILABLE, anything else -> 500 / INTERNAL.
 */

export class PipelineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PipelineError';
  }
}

/** The data itself is wrong; retrying it cannot help. */
export class BadDataError extends PipelineError {
  constructor(message: string) {
    super('SKEIN_BAD_DATA', message);
  }
}

/** The pipeline is over a limit (memory, spool); the sender should retry later. */
export class OverloadedError extends PipelineError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    /** 'exhausted' maps to 429 / RESOURCE_EXHAUSTED, 'unavailable' to 503 / UNAVAILABLE. */
    readonly kind: 'exhausted' | 'unavailable' = 'exhausted',
  ) {
    super('SKEIN_OVERLOADED', message);
  }
}

/** An exporter's send failed in a way that retrying cannot fix (a 4xx other than 429). */
export class PermanentError extends PipelineError {
  constructor(message: string) {
    super('SKEIN_PERMANENT', message);
  }
}

/** An exporter's send failed but may succeed later; retryAfterMs is the peer's hint, if any. */
export class RetryableError extends PipelineError {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super('SKEIN_RETRYABLE', message);
  }
}
