import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import zipkin from 'zipkin';
import { HttpLogger } from 'zipkin-transport-http';
import { encodeZipkinProto, encodeZipkinJson } from '@skein/model';
import { OverloadedError } from '../../pipeline/errors.js';
import type { Receiver } from '../../pipeline/component.js';
import { zipkinReceiverFactory } from './index.js';
import { attrOf, Collector, serviceOf, testContext } from './test-collector.js';
import { makeSpan } from '../../test-support/spans.js';

const sink = new Collector();
let receiver: Receiver;
let base: string;
beforeAll(async () => {
  receiver = zipkinReceiverFactory.create({ endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20 }, testContext('zipkin'), sink);
  await receiver.start!();
  base = `http://${receiver.address}`;
});
afterAll(() => receiver.shutdown!());

describe('Zipkin receiver with real clients', () => {
  it('@opentelemetry/exporter-zipkin: parent/child, names, services, tags, errors', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'otel-front' }),
      spanProcessors: [new SimpleSpanProcessor(new ZipkinExporter({ url: `${base}/api/v2/spans` }))],
    });
    const tracer = provider.getTracer('t');
    const before = sink.spans.length;
    const root = tracer.startSpan('GET /cart', { kind: SpanKind.SERVER, attributes: { 'http.method': 'GET' } });
    const child = tracer.startSpan('load', { attributes: { rows: 3 } }, trace.setSpan(context.active(), root));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'db down' });
    child.end();
    root.end();
    await provider.forceFlush();
    const spans = (await sink.waitFor(before + 2)).slice(before);
    const r = spans.find((s) => s.name === 'GET /cart')!;
    const c = spans.find((s) => s.name === 'load')!;
    expect(r.traceId).toBe(root.spanContext().traceId);
    expect(c.parentSpanId).toBe(r.spanId);
    expect([r.kind, c.kind]).toEqual([2, 1]);
    expect(serviceOf(c)).toBe('otel-front');
    expect(attrOf(r, 'http.method')).toBe('GET');
    expect(attrOf(c, 'rows')).toBe('3');
    expect(c.status).toEqual({ code: 2, message: 'db down' });
    expect(r.endTimeUnixNano > r.startTimeUnixNano).toBe(true);
    await provider.shutdown();
  });

  for (const version of ['v1', 'v2'] as const) {
    it(`zipkin-js + zipkin-transport-http ${version} JSON: client and shared server span`, async () => {
      const { Tracer, BatchRecorder, ExplicitContext, Annotation, jsonEncoder } = zipkin;
      // One recorder per tracer, as two processes would have.
      const loggers = [0, 1].map(() => new HttpLogger({
        endpoint: `${base}/api/${version}/spans`,
        jsonEncoder: version === 'v1' ? jsonEncoder.JSON_V1 : jsonEncoder.JSON_V2,
        httpInterval: 20,
      }));
      const front = new Tracer({ ctxImpl: new ExplicitContext(), recorder: new BatchRecorder({ logger: loggers[0]! }), localServiceName: 'zfront', traceId128Bit: true });
      const back = new Tracer({ ctxImpl: new ExplicitContext(), recorder: new BatchRecorder({ logger: loggers[1]! }), localServiceName: 'zback' });
      const before = sink.spans.length;
      const id = front.createRootId();
      front.letId(id, () => {
        front.recordServiceName('zfront');
        front.recordRpc(`get /${version}`);
        front.recordAnnotation(new Annotation.ClientSend());
        front.recordBinary('http.path', `/${version}`);
        front.recordAnnotation(new Annotation.ServerAddr({ serviceName: 'zback' }));
      });
      // join() exists at runtime (zipkin-js shared spans) but is missing from its typings.
      const joined = (back as unknown as { join(id: zipkin.TraceId): zipkin.TraceId }).join(id);
      back.letId(joined, () => {
        back.recordServiceName('zback');
        back.recordRpc(`handle ${version}`);
        back.recordAnnotation(new Annotation.ServerRecv());
        back.recordBinary('error', 'backend failed');
        back.recordAnnotation(new Annotation.ServerSend());
      });
      front.letId(id, () => front.recordAnnotation(new Annotation.ClientRecv()));
      const spans = (await sink.waitFor(before + 2)).slice(before);
      const client = spans.find((s) => s.kind === 3)!;
      const server = spans.find((s) => s.kind === 2)!;
      expect(client.traceId).toBe(id.traceId.padStart(32, '0'));
      expect(id.traceId).toHaveLength(32);
      expect([client.name, serviceOf(client), attrOf(client, 'http.path'), attrOf(client, 'peer.service')]).toEqual([
        `get /${version}`, 'zfront', `/${version}`, 'zback',
      ]);
      expect([server.name, serviceOf(server)]).toEqual([`handle ${version}`, 'zback']);
      expect(server.parentSpanId).toBe(client.spanId);
      expect(server.status).toEqual({ code: 2, message: 'backend failed' });
      // Times are µs from zipkin-js, made ns here. Two zipkin-js tracers read clocks with their own
      // offsets, so their order is not guaranteed; their scale and closeness are.
      for (const s of [client, server]) expect(s.startTimeUnixNano > 1_600_000_000_000_000_000n).toBe(true);
      const apart = server.startTimeUnixNano - client.startTimeUnixNano;
      expect(apart < 0n ? -apart : apart).toBeLessThan(1_000_000_000n);
    });
  }
});

describe('Zipkin receiver answers', () => {
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${base}${path}`, { method: 'POST', body, headers });
  it('takes proto3 and gzip', async () => {
    const before = sink.spans.length;
    expect((await post('/api/v2/spans', encodeZipkinProto([makeSpan()]), { 'content-type': 'application/x-protobuf' })).status).toBe(202);
    const gz = gzipSync(encodeZipkinJson([makeSpan(), makeSpan()]));
    expect((await post('/api/v2/spans', gz, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(202);
    expect(sink.spans.length - before).toBe(3);
  });
  it('400 with the field for garbage and truncated input, then keeps accepting', async () => {
    const r1 = await post('/api/v2/spans', '[{"traceId":"zz","id":"1"}]');
    expect(r1.status).toBe(400);
    expect(await r1.text()).toMatch(/malformed Zipkin v2 spans: spans\[0\]\.traceId/);
    const r2 = await post('/api/v2/spans', '[{"traceId":"a');
    expect([r2.status, await r2.text()]).toEqual([400, expect.stringMatching(/invalid JSON/)]);
    const proto = encodeZipkinProto([makeSpan()]);
    const r3 = await post('/api/v2/spans', proto.subarray(0, proto.length - 5), { 'content-type': 'application/x-protobuf' });
    expect([r3.status, await r3.text()]).toEqual([400, expect.stringMatching(/spans\[0\]/)]);
    const r4 = await post('/api/v1/spans', 'garbage');
    expect(r4.status).toBe(400);
    expect((await post('/api/v2/spans', encodeZipkinJson([makeSpan()]))).status).toBe(202);
  });
  it('413 over the limit, also after decompression; 415, 404, 405', async () => {
    const big = '[' + ' '.repeat(1 << 20) + ']';
    expect((await post('/api/v2/spans', big)).status).toBe(413);
    const r = await post('/api/v2/spans', gzipSync(big), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect([r.status, await r.text()]).toEqual([413, expect.stringMatching(/decompressed body exceeds/)]);
    expect((await post('/api/v2/spans', 'x', { 'content-type': 'application/x-thrift' })).status).toBe(415);
    expect((await post('/nope', '[]')).status).toBe(404);
    expect((await fetch(`${base}/api/v2/spans`)).status).toBe(405);
  });
  it('429 with Retry-After when the pipeline is overloaded', async () => {
    sink.failWith = new OverloadedError('queue full', 7);
    try {
      const r = await post('/api/v2/spans', encodeZipkinJson([makeSpan()]));
      expect([r.status, r.headers.get('retry-after')]).toEqual([429, '7']);
    } finally {
      sink.failWith = undefined;
    }
  });
});
