/** Reads a request body within a byte limit, before and after gzip/deflate decompression. */
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, createBrotliDecompress } from 'node:zlib';
import type { Transform } from 'node:stream';
import { HttpError } from './errors.js';

/** 20 MiB, the OpenTelemetry Collector's default. */
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

function decoderFor(encoding: string): Transform | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new HttpError(415, `unsupported Content-Encoding "${encoding}" (use gzip, deflate or identity)`);
  }
}

/**
 * Collects the body. A body whose raw or decompressed size exceeds maxBytes gets 413 as soon as
 * the limit is crossed, so a compression bomb never takes more than maxBytes of memory.
 */
export function readBody(req: IncomingMessage, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    req.resume();
    return Promise.reject(new HttpError(413, `body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`));
  }
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  let decoder: Transform | undefined;
  try {
    decoder = decoderFor(encoding);
  } catch (err) {
    req.resume();
    return Promise.reject(err);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let raw = 0;
    let size = 0;
    let done = false;
    const fail = (err: HttpError) => {
      if (done) return;
      done = true;
      decoder?.destroy();
      req.unpipe();
      req.resume();
      reject(err);
    };
    const source = decoder ?? req;
    if (decoder) {
      req.on('data', (c: Buffer) => {
        raw += c.length;
        if (raw > maxBytes) fail(new HttpError(413, `body exceeds the limit of ${maxBytes} bytes`));
      });
      req.pipe(decoder);
    }
    source.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        fail(new HttpError(413, `${decoder ? 'decompressed ' : ''}body exceeds the limit of ${maxBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    source.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    source.on('error', (e: Error) => fail(new HttpError(400, `cannot read ${encoding || 'request'} body: ${e.message}`)));
    req.on('error', (e: Error) => fail(new HttpError(400, `request aborted: ${e.message}`)));
  });
}
