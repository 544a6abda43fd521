/**
 * The round trip: a trace sent by the real OpenTelemetry SDK over OTLP, exported to the
 * Zipkin, Jaeger and Datadog receivers (and a JSONL file), comes back equivalent within what each
 * format can carry (see the MAPPING.md files in packages/model/src/{zipkin,jaeger,datadog}).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOtlpJson, type AnyValue, type Span } from '@skein/model';
import type { Receiver } from '../../pipeline/component.js';
import { otlpHttpReceiverFactory } from '../../receivers/otlp-http/index.js';
import { zipkinReceiverFactory } from '../../receivers/zipkin/index.js';
import { jaegerHttpReceiverFactory } from '../../receivers/jaeger-http/index.js';
import { datadogReceiverFactory } from '../../receivers/datadog/index.js';
import { Collector, testContext } from '../../receivers/zipkin/test-collector.js';
import { otelExporter, sendKnownTrace } from '../../test-support/otel.js';
import type { Sender } from '../sender.js';
import { zipkinSender } from './index.js';
import { jaegerThriftHttpSender } from '../jaeger-thrift-http/index.js';
import { datadogSender } from '../datadog/index.js';
import { fileSender } from '../file/index.js';

const sinks = { otlp: new Collector(), zipkin: new Collector(), jaeger: new Collector(), datadog: new Collector() };
const receivers: Receiver[] = [];
const addr: Record<string, string> = {};
let original: Span[] = [];
let dir = '';

beforeAll(async () => {
  const make = [
    ['otlp', otlpHttpReceiverFactory],
    ['zipkin', zipkinReceiverFactory],
    ['jaeger', jaegerHttpReceiverFactory],
    ['datadog', datadogReceiverFactory],
  ] as const;
  for (const [name, f] of make) {
    const r = (f as typeof zipkinReceiverFactory).create({ endpoint: '127.0.0.1:0' }, testContext(name), sinks[name]);
    await r.start!();
    receivers.push(r);
    addr[name] = `http://${r.address}`;
  }
  const sent = await sendKnownTrace(otelExporter('http/protobuf', r0()), 'checkout');
  original = await sinks.otlp.store.getTrace(sent.traceId);
  dir = await mkdtemp(join(tmpdir(), 'skein-cross-'));
});
afterAll(async () => {
  for (const r of receivers) await r.shutdown!();
  await rm(dir, { recursive: true, force: true });
});
const r0 = () => addr.otlp!.slice('http://'.length);

async function through(sender: Sender, sink: Collector): Promise<Span[]> {
  await sender.send(original);
  await sender.close!();
  return sink.store.getTrace(original[0]!.traceId);
}

const byName = (spans: Span[], name: string) => spans.find((s) => s.name === name)!;
const attrs = (s: Span) => Object.fromEntries(s.attributes.map((a) => [a.key, a.value]));
const service = (s: Span) => s.resource.attributes.find((a) => a.key === 'service.name')?.value;
const us = (ns: bigint) => ns / 1000n;

/** What every format keeps: ids, structure, names, kinds, services, error status, times to the µs. */
function expectCore(got: Span[]) {
  expect(got).toHaveLength(original.length);
  for (const o of original) {
    const g = byName(got, o.name);
    expect([g.traceId, g.spanId, g.parentSpanId, g.kind, service(g), g.status.code]).toEqual([o.traceId, o.spanId, o.parentSpanId, o.kind, service(o), o.status.code]);
    expect(us(g.startTimeUnixNano)).toBe(us(o.startTimeUnixNano));
  }
}

describe('OTLP -> foreign format -> back', () => {
  it('has the three-span trace to start from', () => {
    expect(original.map((s) => s.name).sort()).toEqual(['GET /cart', 'SELECT cart', 'parse']);
  });
  it('Zipkin v2 JSON: tags as text, events, error message', async () => {
    const got = await through(zipkinSender(addr.zipkin!), sinks.zipkin);
    expectCore(got);
    expect(attrs(byName(got, 'GET /cart'))).toMatchObject({ 'http.method': 'GET', 'http.status_code': '200', ratio: '0.25', cached: 'true', tags: '["a","b"]' });
    expect(byName(got, 'parse').status.message).toBe('bad row');
    expect(byName(got, 'SELECT cart').events.map((e) => [e.name, e.attributes])).toEqual([['row fetched', [{ key: 'row.id', value: '7' }]]]);
    expect(byName(got, 'GET /cart').resource.attributes).toContainEqual({ key: 'host.name', value: 'box-1' });
  });
  it('Jaeger thrift: typed tags, events, links as references', async () => {
    const got = await through(jaegerThriftHttpSender(addr.jaeger!), sinks.jaeger);
    expectCore(got);
    const root = byName(got, 'GET /cart');
    const o = byName(original, 'GET /cart');
    expect(attrs(root)).toEqual({ ...(attrs(o) as Record<string, AnyValue>), tags: '["a","b"]' });
    expect(root.resource.attributes).toEqual(o.resource.attributes);
    expect(byName(got, 'SELECT cart').events).toEqual(byName(original, 'SELECT cart').events.map((e) => ({ ...e, timeUnixNano: (e.timeUnixNano / 1000n) * 1000n })));
    expect(byName(got, 'SELECT cart').links.map((l) => [l.traceId, l.spanId])).toEqual([['ab'.repeat(16), 'cd'.repeat(8)]]);
    expect(byName(got, 'parse').status).toEqual({ code: 2, message: 'bad row' });
  });
  it('Datadog v0.4: exact ns, 128-bit ids, numbers as metrics, events and links', async () => {
    const got = await through(datadogSender(addr.datadog!), sinks.datadog);
    expectCore(got);
    for (const o of original) {
      const g = byName(got, o.name);
      expect([g.startTimeUnixNano, g.endTimeUnixNano]).toEqual([o.startTimeUnixNano, o.endTimeUnixNano]);
    }
    expect(attrs(byName(got, 'GET /cart'))).toMatchObject({ 'http.method': 'GET', 'http.status_code': 200, ratio: 0.25, cached: 'true' });
    expect(byName(got, 'SELECT cart').events.map((e) => e.name)).toEqual(['row fetched']);
    expect(byName(got, 'SELECT cart').links.map((l) => l.spanId)).toEqual(['cd'.repeat(8)]);
    expect(byName(got, 'parse').status).toEqual({ code: 2, message: 'bad row' });
  });
  it('JSONL file: everything, exactly', async () => {
    const path = join(dir, 'spans.jsonl');
    const sender = fileSender(path);
    await sender.send(original);
    await sender.close!();
    const back = decodeOtlpJson((await readFile(path, 'utf8')).trim()).spans;
    const strip = (s: Span) => ({ ...s, resource: s.resource.attributes, scope: [s.scope.name, s.scope.version] });
    expect(back.map(strip)).toEqual(original.map(strip));
  });
});
