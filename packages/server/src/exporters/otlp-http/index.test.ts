import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeOtlpJson, decodeOtlpProto } from '@skein/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import { makeSpans } from '../../forwarder/test-support/sink.js';
import { otlpHttpSender } from './index.js';
import { parseRetryAfter } from './status.js';

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
let server: http.Server;
let base: string;
const seen: Seen[] = [];
let answer: { status: number; headers?: Record<string, string> } = { status: 200 };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      if (answer.status === -1) return; // never answer: a timeout
      res.writeHead(answer.status, answer.headers);
      res.end(answer.status === 200 ? '' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('otlpHttpSender', () => {
  it('posts protobuf to /v1/traces with custom headers', async () => {
    answer = { status: 200 };
    const s = otlpHttpSender({ endpoint: base, headers: { 'x-tenant': 't1' } });
    const spans = makeSpans(3, 1);
    await s.send(spans);
    const last = seen.at(-1)!;
    expect(last.path).toBe('/v1/traces');
    expect(last.headers['content-type']).toBe('application/x-protobuf');
    expect(last.headers['x-tenant']).toBe('t1');
    expect(decodeOtlpProto(last.body).spans.map((x) => x.spanId)).toEqual(spans.map((x) => x.spanId));
    await s.close?.();
  });

  it('posts gzipped JSON when asked', async () => {
    const s = otlpHttpSender({ endpoint: `${base}/`, encoding: 'json', gzip: true });
    const spans = makeSpans(2, 2);
    await s.send(spans);
    const last = seen.at(-1)!;
    expect(last.headers['content-encoding']).toBe('gzip');
    expect(last.headers['content-type']).toBe('application/json');
    expect(decodeOtlpJson(gunzipSync(last.body).toString()).spans.length).toBe(2);
    await s.close?.();
  });

  it('maps 429/503 (with Retry-After) to retryable and 400 to permanent', async () => {
    const s = otlpHttpSender({ endpoint: base });
    answer = { status: 429, headers: { 'retry-after': '3' } };
    const e1 = await s.send(makeSpans(1, 3)).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(RetryableError);
    expect((e1 as RetryableError).retryAfterMs).toBe(3000);
    answer = { status: 503 };
    expect(await s.send(makeSpans(1, 3)).catch((e: unknown) => e)).toBeInstanceOf(RetryableError);
    answer = { status: 400 };
    const e3 = await s.send(makeSpans(1, 3)).catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(PermanentError);
    expect((e3 as Error).message).toMatch(/HTTP 400 nope/);
    answer = { status: 200 };
    await s.close?.();
  });

  it('maps refused connections and timeouts to retryable', async () => {
    const dead = otlpHttpSender({ endpoint: 'http://127.0.0.1:1' });
    const e = await dead.send(makeSpans(1, 4)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RetryableError);
    expect((e as Error).message).toMatch(/ECONNREFUSED/);
    answer = { status: -1 };
    const slow = otlpHttpSender({ endpoint: base, timeoutMs: 100 });
    const t = await slow.send(makeSpans(1, 4)).catch((x: unknown) => x);
    expect(t).toBeInstanceOf(RetryableError);
    expect((t as Error).message).toMatch(/no answer within 100 ms/);
    answer = { status: 200 };
    await slow.close?.();
  });

  it('reads Retry-After as seconds or a date, and rejects bad endpoints by name', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5000)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(() => otlpHttpSender({ endpoint: 'ftp://x:1' })).toThrow(/ftp:\/\/x:1/);
  });
});
