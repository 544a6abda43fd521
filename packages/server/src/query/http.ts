/** HTTP plumbing of the query API: the error type handlers throw, JSON writing, body reading. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error with the HTTP status it answers with; its message is shown to the caller. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400 naming the parameter, what was expected and what came. */
export const badParam = (name: string, expected: string, got: string): ApiError =>
  new ApiError(400, `malformed parameter '${name}': expected ${expected}, got '${got}'`);

/**
 * An int64 too large for a double. JSON.stringify cannot write bigints, so it is written as a
 * marker string that `toJson` turns back into bare digits (Jaeger writes int64 tags as numbers).
 */
const MARK = `\u0001skein-int:${Math.random().toString(36).slice(2)}:`;
/** The marker as it appears inside JSON text (the control character escaped). */
const MARK_TEXT = JSON.stringify(MARK).slice(1, -1);
const MARK_RE = new RegExp(`"${MARK_TEXT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-?\\d+)"`, 'g');

export class RawInt {
  constructor(readonly value: bigint) {}
  toJSON(): string {
    return MARK + this.value.toString();
  }
}

/** JSON text of an answer. Bodies hold no bigints (int64 values are numbers or RawInt), so no replacer slows it down. */
export function toJson(body: unknown, pretty: boolean): string {
  const text = JSON.stringify(body, null, pretty ? '    ' : undefined);
  return text.includes(MARK_TEXT) ? text.replace(MARK_RE, '$1') : text;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, pretty = false): void {
  const text = toJson(body, pretty);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads a request body, failing with 413 past `limit` bytes (without buffering the excess). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      reject(new ApiError(413, `request body of ${declared} bytes is over the limit of ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new ApiError(413, `request body is over the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
