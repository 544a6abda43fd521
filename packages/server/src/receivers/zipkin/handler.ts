/** Zipkin's collector API: POST /api/v2/spans (JSON or proto3) and POST /api/v1/spans (v1 JSON). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeZipkinJson, decodeZipkinProto, decodeZipkinV1Json, type Span } from '@skein/model';
import type { Consumer } from '../../pipeline/component.js';
import { readBody } from '../http/body.js';
import { HttpError, errorToAnswer } from '../http/errors.js';

export const ZIPKIN_V2_PATH = '/api/v2/spans';
export const ZIPKIN_V1_PATH = '/api/v1/spans';

function decoderFor(path: string, req: IncomingMessage): (body: Buffer) => Span[] {
  const type = String(req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const json = type === 'application/json' || type === '' || type === 'text/plain';
  if (path === ZIPKIN_V1_PATH) {
    if (json) return decodeZipkinV1Json;
    throw new HttpError(415, `unsupported Content-Type "${type}" for ${path}: only v1 JSON (application/json) is taken; Zipkin v1 thrift is not`);
  }
  if (json) return decodeZipkinJson;
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return decodeZipkinProto;
  throw new HttpError(415, `unsupported Content-Type "${type}" for ${path}: use application/json or application/x-protobuf`);
}

/** Writes a text answer, as Zipkin's own server does. */
export function answerText(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = message ? message + '\n' : '';
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export interface ZipkinHandlerOptions {
  maxBodyBytes?: number;
}

/** Answers 202 once the spans were consumed, 400/413/415/429/503 with a text message otherwise. */
export function createZipkinHandler(next: Consumer, opts: ZipkinHandlerOptions = {}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      if (path !== ZIPKIN_V2_PATH && path !== ZIPKIN_V1_PATH) {
        throw new HttpError(404, `no such path ${path}: Zipkin spans go to POST ${ZIPKIN_V2_PATH} (or ${ZIPKIN_V1_PATH} for v1 JSON)`);
      }
      if (req.method !== 'POST') throw new HttpError(405, `use POST for ${path}`, { allow: 'POST' });
      const decode = decoderFor(path, req);
      const body = await readBody(req, opts.maxBodyBytes);
      const spans = body.length === 0 ? [] : decode(body);
      if (spans.length > 0) await next.consume(spans);
      answerText(res, 202, '');
    } catch (err) {
      const e = errorToAnswer(res, err);
      if (!e) return;
      answerText(res, e.status, e.status === 400 ? `malformed Zipkin ${path === ZIPKIN_V1_PATH ? 'v1' : 'v2'} spans: ${e.message}` : e.message, e.headers);
    }
  };
}
