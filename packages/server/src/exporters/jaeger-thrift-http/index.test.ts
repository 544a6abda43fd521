import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receiver } from '../../pipeline/component.js';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import { jaegerHttpReceiverFactory } from '../../receivers/jaeger-http/index.js';
import { Collector, testContext } from '../../receivers/zipkin/test-collector.js';
import { makeResource, makeSpan } from '../../test-support/spans.js';
import { jaegerThriftHttpSender } from './index.js';

const sink = new Collector();
let receiver: Receiver;
beforeAll(async () => {
  receiver = jaegerHttpReceiverFactory.create({ endpoint: '127.0.0.1:0' }, testContext('jaeger-http'), sink);
  await receiver.start!();
});
afterAll(() => receiver.shutdown!());

describe('jaegerThriftHttpSender', () => {
  it('delivers every resource as its own Batch; spans come back typed and equivalent', async () => {
    const front = makeResource('front');
    const back = makeResource('back');
    const root = makeSpan({ resource: front, name: 'GET /', attributes: [{ key: 'http.status_code', value: 200n }, { key: 'ratio', value: 0.5 }] });
    const child = makeSpan({
      resource: back, traceId: root.traceId, parentSpanId: root.spanId, name: 'work', kind: 1,
      status: { code: 2, message: 'failed' },
      events: [{ timeUnixNano: root.startTimeUnixNano + 1000n, name: 'ev', attributes: [{ key: 'ok', value: true }], droppedAttributesCount: 0 }],
    });
    const sender = jaegerThriftHttpSender(`http://${receiver.address}`);
    await sender.send([root, child]);
    await sender.close!();
    const got = await sink.store.getTrace(root.traceId);
    const r = got.find((s) => s.name === 'GET /')!;
    const c = got.find((s) => s.name === 'work')!;
    expect(r.attributes).toEqual(root.attributes);
    // Jaeger carries µs: start and duration are truncated separately.
    const startUs = (root.startTimeUnixNano / 1000n) * 1000n;
    const durUs = ((root.endTimeUnixNano - root.startTimeUnixNano) / 1000n) * 1000n;
    expect([r.kind, r.startTimeUnixNano, r.endTimeUnixNano]).toEqual([2, startUs, startUs + durUs]);
    expect(c.parentSpanId).toBe(root.spanId);
    expect(c.status).toEqual({ code: 2, message: 'failed' });
    expect(c.events).toEqual([{ ...child.events[0]!, timeUnixNano: (child.events[0]!.timeUnixNano / 1000n) * 1000n }]);
    expect(c.resource.attributes).toEqual([{ key: 'service.name', value: 'back' }]);
    expect(r.resource.attributes).toEqual([{ key: 'service.name', value: 'front' }]);
  });
  it('maps failures: 415 permanent, refused retryable, bad URL thrown', async () => {
    const wrong = jaegerThriftHttpSender(`http://${receiver.address}/not-here`);
    await expect(wrong.send([makeSpan()])).rejects.toBeInstanceOf(PermanentError);
    await expect(jaegerThriftHttpSender('http://127.0.0.1:1').send([makeSpan()])).rejects.toBeInstanceOf(RetryableError);
    expect(() => jaegerThriftHttpSender('udp://x')).toThrow(/must be http/);
  });
});
