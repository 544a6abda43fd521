/** Maps pipeline and decode errors to HTTP answers, shared by every HTTP receiver. */
import type { ServerResponse } from 'node:http';
import { DecodeError } from '@skein/model';
import { OverloadedError, PipelineError } from '../../pipeline/errors.js';

/** An error that already knows its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DecodeError) return new HttpError(400, err.message);
  if (err instanceof OverloadedError) {
    return new HttpError(err.kind === 'exhausted' ? 429 : 503, err.message, {
      'retry-after': String(Math.max(1, Math.ceil(err.retryAfterSeconds))),
    });
  }
  if (err instanceof PipelineError && err.code === 'SKEIN_BAD_DATA') return new HttpError(400, err.message);
  return new HttpError(500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * The HttpError a handler should answer `err` with; undefined when the answer had already begun,
 * in which case the response is destroyed (a half-sent answer cannot be taken back).
 */
export function errorToAnswer(res: ServerResponse, err: unknown): HttpError | undefined {
  const e = toHttpError(err);
  if (!res.headersSent) return e;
  res.destroy();
  return undefined;
}
