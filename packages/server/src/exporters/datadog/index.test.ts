import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import { datadogReceiverFactory } from '../../receivers/datadog/index.js';
import type { Receiver } from '../../pipeline/component.js';
import { Collector, testContext } from '../../receivers/zipkin/test-collector.js';
import { makeResource, makeSpan } from '../../test-support/spans.js';
import { datadogSender } from './index.js';

const sink = new Collector();
let receiver: Receiver;
beforeAll(async () => {
  receiver = datadogReceiverFactory.create({ endpoint: '127.0.0.1:0' }, testContext('datadog'), sink);
  await receiver.start!();
});
afterAll(() => receiver.shutdown!());

describe('datadogSender', () => {
  it('delivers v0.4 msgpack; spans come back with 128-bit ids, exact ns and typed numbers', async () => {
    const resource = { ...makeResource('shop'), attributes: [{ key: 'service.name', value: 'shop' }, { key: 'service.version', value: '2.0' }] };
    const root = makeSpan({ resource, name: 'http.request', attributes: [{ key: 'resource.name', value: 'GET /cart' }, { key: 'http.status_code', value: 200 }] });
    const child = makeSpan({
      resource, traceId: root.traceId, parentSpanId: root.spanId, name: 'redis.get', kind: 3,
      attributes: [{ key: 'db.system', value: 'redis' }], status: { code: 2, message: 'timeout' },
    });
    const sender = datadogSender(`http://${receiver.address}`);
    await sender.send([root, child]);
    await sender.close!();
    const got = await sink.store.getTrace(root.traceId);
    expect(got).toHaveLength(2);
    const r = got.find((s) => s.name === 'http.request')!;
    const c = got.find((s) => s.name === 'redis.get')!;
    expect([r.spanId, r.startTimeUnixNano, r.endTimeUnixNano]).toEqual([root.spanId, root.startTimeUnixNano, root.endTimeUnixNano]);
    expect(r.attributes).toEqual(root.attributes);
    expect(r.resource.attributes).toEqual(resource.attributes);
    expect([c.parentSpanId, c.kind, c.status]).toEqual([root.spanId, 3, { code: 2, message: 'timeout' }]);
  });
  it('maps failures and bad URLs', async () => {
    await expect(datadogSender(`http://${receiver.address}/nope`).send([makeSpan()])).rejects.toBeInstanceOf(PermanentError);
    await expect(datadogSender('http://127.0.0.1:1').send([makeSpan()])).rejects.toBeInstanceOf(RetryableError);
    expect(() => datadogSender('localhost:8126')).toThrow(/must be http|is not a URL/);
  });
});
