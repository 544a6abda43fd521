/**
 * The OTLP/HTTP traces endpoint (POST /v1/traces), as a handler that both the OTLP receiver and
 * the UI port mount. Answers per the OTLP spec: 200 with an ExportTraceServiceResponse (partial
 * success when spans were rejected), 400/413/415/429/503 with a google.rpc.Status body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeOtlpJson, decodeOtlpProto, encodeExportResponse, type OtlpDecoded } from '@skein/model';
import type { Consumer } from '../../pipeline/component.js';
import { readBody } from '../http/body.js';
import { HttpError, errorToAnswer } from '../http/errors.js';

export const OTLP_TRACES_PATH = '/v1/traces';

type Encoding = 'protobuf' | 'json';

function encodingOf(req: IncomingMessage): Encoding {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new HttpError(415, `unsupported Content-Type "${type}": use application/x-protobuf or application/json`);
}

/** google.rpc.Status { code = 1; message = 2 } — the error body OTLP/HTTP asks for. */
function encodeStatus(code: number, message: string): Buffer {
  const msg = Buffer.from(message, 'utf8');
  const out: number[] = [0x08, code, 0x12];
  for (let n = msg.length; ; n >>>= 7) {
    if (n < 0x80) {
      out.push(n);
      break;
    }
    out.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from(out), msg]);
}

/** gRPC status codes that match HTTP answers, for the Status body. */
const GRPC_CODE: Record<number, number> = { 400: 3, 413: 8, 415: 3, 429: 8, 503: 14, 500: 13 };

function answer(res: ServerResponse, enc: Encoding, status: number, message: string, headers: Record<string, string> = {}) {
  const code = GRPC_CODE[status] ?? 2;
  const body = enc === 'json' ? Buffer.from(JSON.stringify({ code, message })) : encodeStatus(code, message);
  res.writeHead(status, {
    'content-type': enc === 'json' ? 'application/json' : 'application/x-protobuf',
    'content-length': body.length,
    ...headers,
  });
  res.end(body);
}

export interface OtlpHttpHandlerOptions {
  maxBodyBytes?: number;
}

export function createOtlpHttpHandler(next: Consumer, opts: OtlpHttpHandlerOptions = {}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let enc: Encoding = 'protobuf';
    try {
      if (req.method !== 'POST') throw new HttpError(405, `use POST for ${OTLP_TRACES_PATH}`, { allow: 'POST' });
      enc = encodingOf(req);
      const body = await readBody(req, opts.maxBodyBytes);
      if (enc === 'protobuf' && next.consumeOtlpProto && (await next.consumeOtlpProto(body))) {
        res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
        res.end();
        return;
      }
      const decoded: OtlpDecoded = enc === 'json' ? decodeOtlpJson(body.toString('utf8')) : decodeOtlpProto(body);
      if (decoded.spans.length > 0) await next.consume(decoded.spans);
      const partial = decoded.rejected > 0;
      if (enc === 'json') {
        const text = JSON.stringify(
          partial ? { partialSuccess: { rejectedSpans: String(decoded.rejected), errorMessage: decoded.message } } : {},
        );
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      } else {
        const bytes = partial ? encodeExportResponse(decoded.rejected, decoded.message) : new Uint8Array(0);
        res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': bytes.length });
        res.end(bytes);
      }
    } catch (err) {
      const e = errorToAnswer(res, err);
      if (!e) return;
      answer(res, enc, e.status, e.message, e.headers);
    }
  };
}
