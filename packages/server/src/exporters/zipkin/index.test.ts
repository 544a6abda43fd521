import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Span } from '@skein/model';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import type { Receiver } from '../../pipeline/component.js';
import { zipkinReceiverFactory } from '../../receivers/zipkin/index.js';
import { Collector, testContext } from '../../receivers/zipkin/test-collector.js';
import { zipkinSender } from './index.js';
import { makeSpan } from '../../test-support/spans.js';

const sink = new Collector();
let receiver: Receiver;
let status: Server;
let statusUrl = '';
let answer = { code: 503, headers: {} as Record<string, string> };
beforeAll(async () => {
  receiver = zipkinReceiverFactory.create({ endpoint: '127.0.0.1:0' }, testContext('zipkin'), sink);
  await receiver.start!();
  status = createServer((req, res) => {
    req.resume();
    req.on('end', () => (res.writeHead(answer.code, answer.headers), res.end('nope')));
  });
  await new Promise<void>((r) => status.listen(0, '127.0.0.1', r));
  statusUrl = `http://127.0.0.1:${(status.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await receiver.shutdown!();
  await new Promise((r) => status.close(r));
});

/** What Zipkin can carry of a span: string attributes, µs times. */
function sample(): Span[] {
  const root = makeSpan({ name: 'GET /a', kind: 2, attributes: [{ key: 'http.method', value: 'GET' }] });
  const child = makeSpan({
    traceId: root.traceId, parentSpanId: root.spanId, name: 'db', kind: 3,
    startTimeUnixNano: root.startTimeUnixNano + 1000n, endTimeUnixNano: root.endTimeUnixNano - 1000n,
    attributes: [{ key: 'db.rows', value: 12n }], status: { code: 2, message: 'timeout' },
  });
  return [root, child];
}

describe('zipkinSender', () => {
  it('delivers to a Zipkin receiver; spans come back equivalent', async () => {
    const sent = sample();
    const sender = zipkinSender(`http://${receiver.address}`);
    await sender.send(sent);
    await sender.close!();
    const got = await sink.store.getTrace(sent[0]!.traceId);
    expect(got).toHaveLength(2);
    const child = got.find((s) => s.name === 'db')!;
    expect(child.parentSpanId).toBe(sent[0]!.spanId);
    expect(child.kind).toBe(3);
    expect(child.status).toEqual({ code: 2, message: 'timeout' });
    expect(child.attributes).toContainEqual({ key: 'db.rows', value: '12' });
    expect(child.startTimeUnixNano).toBe((sent[1]!.startTimeUnixNano / 1000n) * 1000n);
    expect(child.resource.attributes).toContainEqual({ key: 'service.name', value: 'test-svc' });
  });
  it('maps answers: 503 and 429 retryable with Retry-After, 400 permanent, refused retryable', async () => {
    const sender = zipkinSender(statusUrl);
    answer = { code: 429, headers: { 'retry-after': '4' } };
    const e1 = await sender.send(sample()).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(RetryableError);
    expect((e1 as RetryableError).retryAfterMs).toBe(4000);
    answer = { code: 400, headers: {} };
    await expect(sender.send(sample())).rejects.toBeInstanceOf(PermanentError);
    await sender.close!();
    const dead = zipkinSender('http://127.0.0.1:1');
    await expect(dead.send(sample())).rejects.toBeInstanceOf(RetryableError);
  });
  it('honours an abort signal and rejects bad URLs', async () => {
    const sender = zipkinSender(`http://${receiver.address}`);
    await expect(sender.send(sample(), AbortSignal.abort())).rejects.toBeInstanceOf(RetryableError);
    expect(() => zipkinSender('ftp://x')).toThrow(/must be http/);
    expect(() => zipkinSender('not a url')).toThrow(/is not a URL/);
  });
});
