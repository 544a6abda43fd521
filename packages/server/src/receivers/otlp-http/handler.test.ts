import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { encodeOtlpJson, encodeOtlpProto, type Span } from '@skein/model';
import { createOtlpHttpHandler } from './handler.js';
import { listenHttp, type HttpListener } from '../http/listen.js';
import { OverloadedError } from '../../pipeline/errors.js';
import { makeSpan } from '../../test-support/spans.js';

const received: Span[] = [];
let mode: 'ok' | 'exhausted' | 'unavailable' = 'ok';
let listener: HttpListener;
beforeAll(async () => {
  const handler = createOtlpHttpHandler(
    {
      consume: async (spans) => {
        if (mode !== 'ok') throw new OverloadedError('over the limit', 3, mode);
        received.push(...spans);
      },
    },
    { maxBodyBytes: 1 << 20 },
  );
  listener = await listenHttp({ host: '127.0.0.1', port: 0 }, (req, res) => void handler(req, res));
});
afterAll(() => listener.close());

const post = (body: Uint8Array | string, headers: Record<string, string>) =>
  fetch(`http://${listener.address}/v1/traces`, { method: 'POST', body, headers });
const proto = { 'content-type': 'application/x-protobuf' };
const json = { 'content-type': 'application/json' };

describe('OTLP/HTTP handler', () => {
  it('stores protobuf, JSON and gzipped requests', async () => {
    const before = received.length;
    expect((await post(encodeOtlpProto([makeSpan()]), proto)).status).toBe(200);
    expect((await post(JSON.stringify(encodeOtlpJson([makeSpan()])), json)).status).toBe(200);
    const gz = gzipSync(encodeOtlpProto([makeSpan(), makeSpan()]));
    expect((await post(gz, { ...proto, 'content-encoding': 'gzip' })).status).toBe(200);
    expect(received.length - before).toBe(4);
  });

  it('answers 400 naming the problem for malformed protobuf and JSON', async () => {
    const bad = await post(new Uint8Array([0x0a, 0xff, 0xff, 0x01]), proto);
    expect(bad.status).toBe(400);
    expect(Buffer.from(await bad.arrayBuffer()).toString('latin1')).toMatch(/truncated|length|offset/i);
    const badJson = await post('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "xyz"}]}]}]}', json);
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { message: string }).message).toMatch(/traceId/);
    const notJson = await post('{not json', json);
    expect(notJson.status).toBe(400);
  });

  it('answers 415 for unknown content types and encodings', async () => {
    expect((await post('hello', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(encodeOtlpProto([makeSpan()]), { ...proto, 'content-encoding': 'zstd' })).status).toBe(415);
  });

  it('answers 413 for bodies over the limit, before and after decompression', async () => {
    const big = new Uint8Array((1 << 20) + 10);
    const r1 = await post(big, proto);
    expect(r1.status).toBe(413);
    const heapBefore = process.memoryUsage().heapUsed;
    const bomb = gzipSync(Buffer.alloc(64 << 20)); // 64 MiB of zeros in ~64 KiB
    expect(bomb.length).toBeLessThan(1 << 20);
    const r2 = await post(bomb, { ...proto, 'content-encoding': 'gzip' });
    expect(r2.status).toBe(413);
    expect(Buffer.from(await r2.arrayBuffer()).toString('latin1')).toMatch(/decompressed body exceeds/);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 << 20);
  });

  it('answers 429 and 503 with Retry-After when the pipeline is over its limit', async () => {
    mode = 'exhausted';
    const r1 = await post(encodeOtlpProto([makeSpan()]), proto);
    mode = 'unavailable';
    const r2 = await post(encodeOtlpProto([makeSpan()]), proto);
    mode = 'ok';
    expect(r1.status).toBe(429);
    expect(r1.headers.get('retry-after')).toBe('3');
    expect(r2.status).toBe(503);
  });

  it('reports rejected spans as partial success and keeps the good ones', async () => {
    const before = received.length;
    const good = encodeOtlpJson([makeSpan()]) as any;
    const badSpan = { ...good.resourceSpans[0].scopeSpans[0].spans[0], traceId: '0'.repeat(32) };
    good.resourceSpans[0].scopeSpans[0].spans.push(badSpan);
    const r = await post(JSON.stringify(good), json);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(/trace/i);
    expect(received.length - before).toBe(1);
  });

  it('keeps accepting good data after bad requests', async () => {
    expect((await post('garbage', proto)).status).toBe(400);
    expect((await post(encodeOtlpProto([makeSpan()]), proto)).status).toBe(200);
  });
});
