/** otlpHttpSender: POSTs OTLP protobuf or JSON (optionally gzipped) to `<endpoint>/v1/traces`. */
import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { encodeOtlpJson, encodeOtlpProto, type Span } from '@skein/model';
import { RetryableError } from '../../pipeline/errors.js';
import type { Sender } from '../sender.js';
import { errorForNetwork, errorForStatus } from './status.js';

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
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`otlp-http endpoint "${endpoint}" is not a URL like http://127.0.0.1:4318`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`otlp-http endpoint "${endpoint}" must be http:// or https://`);
  }
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url;
}

function jsonBody(spans: Span[]): Buffer {
  const json: unknown = encodeOtlpJson(spans);
  return Buffer.from(typeof json === 'string' ? json : JSON.stringify(json));
}

export function otlpHttpSender(opts: OtlpHttpSenderOptions): Sender {
  const url = tracesUrl(opts.endpoint);
  const encoding = opts.encoding ?? 'protobuf';
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const lib = url.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 8 });
  const name = `otlp-http ${url.href}`;

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
      headers['content-length'] = String(body.length);
      await new Promise<void>((resolve, reject) => {
        const req = lib.request(url, { method: 'POST', headers, agent, signal }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(errorForNetwork(name, err)));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const text = Buffer.concat(chunks).toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').trim();
            reject(errorForStatus(name, status, text, res.headers['retry-after']));
          });
        });
        req.setTimeout(timeoutMs, () => req.destroy(new RetryableError(`${name}: no answer within ${timeoutMs} ms`)));
        req.on('error', (err) => reject(err instanceof RetryableError ? err : errorForNetwork(name, err)));
        req.end(body);
      });
    },
    async close() {
      agent.destroy();
    },
  };
}
