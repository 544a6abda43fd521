import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { encodeJaegerBatches } from '@skein/model';
import type { Receiver } from '../../pipeline/component.js';
import { OverloadedError } from '../../pipeline/errors.js';
import { jaegerHttpReceiverFactory } from './index.js';
import { attrOf, Collector, serviceOf, testContext } from '../zipkin/test-collector.js';
import { makeSpan } from '../../test-support/spans.js';

interface JaegerSpan {
  setTag(k: string, v: unknown): void;
  log(fields: Record<string, unknown>): void;
  finish(): void;
  context(): { toTraceId(): string };
}
const require = createRequire(import.meta.url);
const { initTracer } = require('jaeger-client') as {
  initTracer(config: object, options: object): { startSpan(n: string, o?: object): JaegerSpan; close(cb: () => void): void };
};

const sink = new Collector();
let receiver: Receiver;
let base = '';
beforeAll(async () => {
  receiver = jaegerHttpReceiverFactory.create({ endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20 }, testContext('jaeger-http'), sink);
  await receiver.start!();
  base = `http://${receiver.address}`;
});
afterAll(() => receiver.shutdown!());

const post = (body: Uint8Array | string, headers: Record<string, string> = { 'content-type': 'application/x-thrift' }) =>
  fetch(`${base}/api/traces`, { method: 'POST', body, headers });

describe('Jaeger thrift HTTP receiver', () => {
  it('jaeger-client with collectorEndpoint: structure, tags, logs, errors', async () => {
    const tracer = initTracer(
      { serviceName: 'jc-http', sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: `${base}/api/traces`, flushIntervalMs: 50 } },
      { tags: { region: 'eu' } },
    );
    const root = tracer.startSpan('checkout', { tags: { 'span.kind': 'server', user: 'ann' } });
    const child = tracer.startSpan('charge', { childOf: root, tags: { amount: 9.5 } });
    child.setTag('error', true);
    child.log({ event: 'error', message: 'card declined' });
    child.finish();
    root.finish();
    await new Promise<void>((r) => tracer.close(r));
    const spans = await sink.waitFor(2);
    const r = spans.find((s) => s.name === 'checkout')!;
    const c = spans.find((s) => s.name === 'charge')!;
    expect(r.traceId).toBe(root.context().toTraceId().padStart(32, '0'));
    expect(c.parentSpanId).toBe(r.spanId);
    expect([serviceOf(r), attrOf(r, 'user'), attrOf(c, 'amount'), c.status.code]).toEqual(['jc-http', 'ann', 9.5, 2]);
    expect(r.resource.attributes).toContainEqual({ key: 'region', value: 'eu' });
    expect(c.events[0]).toMatchObject({ name: 'error', attributes: [{ key: 'message', value: 'card declined' }] });
  });

  it('400 naming the problem for garbage and truncated batches, then accepts good ones', async () => {
    const r1 = await post('not thrift at all');
    expect(r1.status).toBe(400);
    expect(await r1.text()).toMatch(/malformed Jaeger thrift Batch: batch/);
    const good = encodeJaegerBatches([makeSpan()])[0]!;
    const r2 = await post(good.subarray(0, good.length - 10));
    expect([r2.status, await r2.text()]).toEqual([400, expect.stringMatching(/truncated|cannot fit/)]);
    const n = sink.spans.length;
    expect((await post(gzipSync(good), { 'content-type': 'application/x-thrift', 'content-encoding': 'gzip' })).status).toBe(202);
    expect(sink.spans.length).toBe(n + 1);
  });

  it('413, 415, 404, 405 and 503 answers', async () => {
    expect((await post(new Uint8Array((1 << 20) + 1))).status).toBe(413);
    expect((await post('{}', { 'content-type': 'application/json' })).status).toBe(415);
    expect((await fetch(`${base}/api/other`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/api/traces`)).status).toBe(405);
    sink.failWith = new OverloadedError('spool full', 2, 'unavailable');
    try {
      const r = await post(encodeJaegerBatches([makeSpan()])[0]!);
      expect([r.status, r.headers.get('retry-after')]).toEqual([503, '2']);
    } finally {
      sink.failWith = undefined;
    }
  });
});
