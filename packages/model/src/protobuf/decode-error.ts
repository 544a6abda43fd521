/** DecodeError: malformed wire data, with the field path and byte offset that give it away. */

/**
 * Thrown by every decoder for malformed, truncated or mistyped input. `path` is the field path
 * (e.g. `resourceSpans[0].scopeSpans[1].spans[3].traceId`), `offset` the byte offset in the
 * buffer (-1 for JSON input), `reason` the bare cause. Decoders add path segments on the way out
 * with `within`, so the hot path never tracks where it is.
 */
export class DecodeError extends Error {
  override name = 'DecodeError';
  /** Same catalogue code as the pipeline's BadDataError: the data is wrong, retrying cannot help. */
  readonly code = 'SKEIN_BAD_DATA';
  readonly reason: string;
  readonly offset: number;
  path: string;

  constructor(reason: string, offset = -1, path = '') {
    super(formatMessage(path, reason, offset));
    this.reason = reason;
    this.offset = offset;
    this.path = path;
  }

  /** Prefixes a path segment (`spans[3]` or `.traceId` style) and refreshes the message. */
  within(segment: string): this {
    if (segment === '') return this;
    if (this.path === '' || this.path.startsWith('[')) this.path = segment + this.path;
    else this.path = segment + '.' + this.path;
    this.message = formatMessage(this.path, this.reason, this.offset);
    return this;
  }
}

function formatMessage(path: string, reason: string, offset: number): string {
  const where = offset >= 0 ? ` at byte ${offset}` : '';
  return path === '' ? `${reason}${where}` : `${path}: ${reason}${where}`;
}

/** Re-throws `err` with `segment` prefixed when it is a DecodeError; other errors become one. */
export function rethrowWithin(err: unknown, segment: string): never {
  if (err instanceof DecodeError) throw err.within(segment);
  if (err instanceof RangeError) throw new DecodeError(`malformed input (${err.message})`, -1, segment);
  throw err;
}
