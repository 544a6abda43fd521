/** otlpHttpSender: POSTs OTLP protobuf or JSON (optionally gzipped) to `<endpoint>/v1/traces`. */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { encodeOtlpJson, encodeOtlpProto, type Span } from '@skein/model';
import type { Sender } from '../sender.js';
import { backendUrl, createPoster } from '../http-post.js';

const gzip = promisify(zlib.gzip);

export interface OtlpHttpSenderOptions {
  /** Base URL (`http://host:4318`); `/v1/traces` is appended unless the URL already ends in it. */
  endpoint: string;
  encoding?: 'protobuf' | 'json';
  gzip?: boolean;
  headers?: Record<string, string>;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

export function tracesUrl(endpoint: string): URL {
  return backendUrl('otlp-http endpoint', endpoint, '/v1/traces', 'http://127.0.0.1:4318');
}

function jsonBody(spans: Span[]): Buffer {
  const json: unknown = encodeOtlpJson(spans);
  return Buffer.from(typeof json === 'string' ? json : JSON.stringify(json));
}

export function otlpHttpSender(opts: OtlpHttpSenderOptions): Sender {
  const url = tracesUrl(opts.endpoint);
  const encoding = opts.encoding ?? 'protobuf';
  const name = `otlp-http ${url.href}`;
  // opts.headers are merged here, not by the poster, so content-encoding always wins over them.
  const poster = createPoster(name, url, { timeoutMs: opts.timeoutMs });

  return {
    name,
    async send(spans: Span[], signal?: AbortSignal): Promise<void> {
      let body: Uint8Array = encoding === 'json' ? jsonBody(spans) : encodeOtlpProto(spans);
      const headers: Record<string, string> = {
        'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
        ...opts.headers,
      };
      if (opts.gzip) {
        body = await gzip(body);
        headers['content-encoding'] = 'gzip';
      }
      await poster.post(body, headers, signal);
    },
    async close() {
      poster.close();
    },
  };
}
