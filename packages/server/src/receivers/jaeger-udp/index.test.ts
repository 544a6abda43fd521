import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import { encodeJaegerEmitBatches } from '@skein/model';
import { jaegerBinaryReceiverFactory, jaegerCompactReceiverFactory, type JaegerUdpReceiver } from './index.js';
import { attrOf, Collector, serviceOf, testContext } from '../zipkin/test-collector.js';
import { makeSpan } from '../../test-support/spans.js';

interface JaegerSpan {
  setTag(k: string, v: unknown): void;
  log(fields: Record<string, unknown>): void;
  finish(): void;
  context(): { toTraceId(): string; toSpanId(): string };
}
interface JaegerTracer {
  startSpan(name: string, opts?: { childOf?: unknown; tags?: Record<string, unknown> }): JaegerSpan;
  close(cb: () => void): void;
}
const require = createRequire(import.meta.url);
const { initTracer } = require('jaeger-client') as { initTracer(config: object, options: object): JaegerTracer };

const compactSink = new Collector();
const binarySink = new Collector();
let compact: JaegerUdpReceiver;
let binary: JaegerUdpReceiver;
beforeAll(async () => {
  compact = jaegerCompactReceiverFactory.create({ endpoint: '127.0.0.1:0' }, testContext('jaeger-compact'), compactSink) as JaegerUdpReceiver;
  binary = jaegerBinaryReceiverFactory.create({ endpoint: '127.0.0.1:0' }, testContext('jaeger-binary'), binarySink) as JaegerUdpReceiver;
  await compact.start!();
  await binary.start!();
});
afterAll(async () => {
  await compact.shutdown!();
  await binary.shutdown!();
});

const portOf = (r: JaegerUdpReceiver) => Number(r.address!.split(':').pop());
const send = (port: number, b: Uint8Array) =>
  new Promise<void>((resolve, reject) => {
    const s = createSocket('udp4');
    s.send(b, port, '127.0.0.1', (err) => (s.close(), err ? reject(err) : resolve()));
  });

describe('Jaeger UDP receivers', () => {
  it('jaeger-client over UDP (its default, binary emitBatch): structure, typed tags, logs, errors, process tags', async () => {
    const tracer = initTracer(
      {
        serviceName: 'jc-udp',
        sampler: { type: 'const', param: 1 },
        reporter: { agentHost: '127.0.0.1', agentPort: portOf(binary), flushIntervalMs: 50 },
      },
      { tags: { 'deployment.environment': 'test', 'build.number': 7 }, traceId128bit: true },
    );
    const root = tracer.startSpan('GET /orders', { tags: { 'span.kind': 'server', 'http.status_code': 500 } });
    const child = tracer.startSpan('db.query', { childOf: root.context(), tags: { 'span.kind': 'client', cached: false } });
    child.log({ event: 'retry', attempt: 2 });
    child.setTag('error', true);
    child.finish();
    root.finish();
    await new Promise<void>((r) => tracer.close(r));
    const spans = await binarySink.waitFor(2);
    const r = spans.find((s) => s.name === 'GET /orders')!;
    const c = spans.find((s) => s.name === 'db.query')!;
    expect(r.traceId).toBe(root.context().toTraceId().padStart(32, '0'));
    expect(c.parentSpanId).toBe(r.spanId);
    expect([r.kind, c.kind]).toEqual([2, 3]);
    expect(serviceOf(c)).toBe('jc-udp');
    expect(c.resource.attributes).toContainEqual({ key: 'deployment.environment', value: 'test' });
    expect(c.resource.attributes).toContainEqual({ key: 'build.number', value: 7 });
    expect(attrOf(r, 'http.status_code')).toBe(500);
    expect(attrOf(c, 'cached')).toBe(false);
    expect(c.status.code).toBe(2);
    expect(c.events[0]).toMatchObject({ name: 'retry', attributes: [{ key: 'attempt', value: 2 }] });
    expect(r.endTimeUnixNano >= r.startTimeUnixNano).toBe(true);
  });

  it('compact emitBatch packets', async () => {
    const s = makeSpan({ attributes: [{ key: 'n', value: 5n }] });
    await send(portOf(compact), encodeJaegerEmitBatches([s], 'compact')[0]!);
    const [got] = await compactSink.waitFor(1);
    expect([got!.traceId, got!.spanId, attrOf(got!, 'n')]).toEqual([s.traceId, s.spanId, 5n]);
  });

  it('counts garbage and truncated packets and keeps reading', async () => {
    const before = compact.stats.malformed;
    const good = encodeJaegerEmitBatches([makeSpan()], 'compact')[0]!;
    await send(portOf(compact), Uint8Array.from([1, 2, 3, 4]));
    await send(portOf(compact), good.subarray(0, good.length - 6));
    await send(portOf(compact), encodeJaegerEmitBatches([makeSpan()], 'binary')[0]!);
    const n = compactSink.spans.length;
    await send(portOf(compact), good);
    await compactSink.waitFor(n + 1);
    expect(compact.stats.malformed - before).toBe(3);
    expect(compact.stats.lastError).toMatch(/malformed compact emitBatch packet/);
  });

  it('rejects unix socket addresses with a clear error', async () => {
    const r = jaegerCompactReceiverFactory.create({ endpoint: 'unix:/tmp/x.sock' }, testContext('jaeger-compact'), compactSink);
    await expect(r.start!()).rejects.toThrow(/UDP cannot listen on a unix socket/);
  });
});
