import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { encodeDatadogV04, encodeDatadogV05 } from '@skein/model';
import { OverloadedError } from '../../pipeline/errors.js';
import { datadogReceiverFactory, type DatadogReceiver } from './index.js';
import { attrOf, Collector, serviceOf, testContext } from '../zipkin/test-collector.js';
import { makeSpan } from '../../test-support/spans.js';

const sink = new Collector();
let receiver: DatadogReceiver;
let base = '';
beforeAll(async () => {
  receiver = datadogReceiverFactory.create({ endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20 }, testContext('datadog'), sink) as DatadogReceiver;
  await receiver.start!();
  base = `http://${receiver.address}`;
});
afterAll(() => receiver.shutdown!());

interface Ids { traceId: string; root: string; child: string; dropped: string }

function runDdTrace(env: Record<string, string>): Promise<{ ids: Ids; stderr: string }> {
  const script = fileURLToPath(new URL('./dd-client.fixture.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script], {
      env: { PATH: process.env.PATH ?? '', DD_TRACE_AGENT_URL: base, DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'true', ...env },
      timeout: 20_000,
    }, (err, stdout, stderr) => (err ? reject(new Error(`dd-trace child failed: ${err.message}\n${stderr}`)) : resolve({ ids: JSON.parse(stdout) as Ids, stderr })));
  });
}

describe('Datadog receiver with dd-trace', () => {
  for (const version of ['0.4', '0.5']) {
    it(`dd-trace v${version}: 128-bit ids, parent/child, services, tags, errors; rejected traces dropped`, async () => {
      const before = sink.spans.length;
      const dropsBefore = receiver.stats.droppedTraces;
      const path = `/v${version}/traces`;
      const payloadsBefore = receiver.stats.payloads[path] ?? 0;
      const { ids, stderr } = await runDdTrace(version === '0.5' ? { DD_TRACE_AGENT_PROTOCOL_VERSION: '0.5' } : {});
      await sink.waitFor(before + 2);
      const spans = await sink.store.getTrace(ids.traceId);
      expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.traceId.slice(0, 16)).not.toBe('0000000000000000');
      const root = spans.find((s) => s.spanId === ids.root)!;
      const child = spans.find((s) => s.spanId === ids.child)!;
      expect(root.parentSpanId).toBe('');
      expect(child.parentSpanId).toBe(root.spanId);
      expect([root.name, attrOf(root, 'resource.name'), root.kind, serviceOf(root)]).toEqual(['web.request', 'GET /orders', 2, 'dd-app']);
      expect([child.name, attrOf(child, 'resource.name'), child.kind, serviceOf(child)]).toEqual(['pg.query', 'SELECT * FROM orders', 3, 'dd-app-postgres']);
      expect(root.resource.attributes).toContainEqual({ key: 'deployment.environment', value: 'test' });
      expect(root.resource.attributes).toContainEqual({ key: 'service.version', value: '1.2.3' });
      expect([attrOf(root, 'http.method'), attrOf(root, 'order.count')]).toEqual(['GET', 3]);
      expect(child.status).toEqual({ code: 2, message: 'relation does not exist' });
      expect(child.endTimeUnixNano > child.startTimeUnixNano).toBe(true);
      expect(await sink.store.getTrace(ids.dropped)).toEqual([]);
      expect(receiver.stats.droppedTraces - dropsBefore).toBe(1);
      expect(stderr).not.toMatch(/error/i);
      expect(receiver.stats.payloads[path]! - payloadsBefore).toBeGreaterThan(0);
    });
  }
});

describe('Datadog receiver answers', () => {
  const put = (path: string, body: Uint8Array | string, headers: Record<string, string> = { 'content-type': 'application/msgpack' }) =>
    fetch(`${base}${path}`, { method: 'PUT', body, headers });
  it('info, remote config and telemetry', async () => {
    const info = (await (await fetch(`${base}/info`)).json()) as { endpoints: string[] };
    expect(info.endpoints).toContain('/v0.4/traces');
    const rc = await fetch(`${base}/v0.7/config`, { method: 'POST', body: '{}' });
    expect([rc.status, await rc.text()]).toEqual([200, '{}']);
    expect((await fetch(`${base}/telemetry/proxy/api/v2/apmtelemetry`, { method: 'POST', body: '{}' })).status).toBe(202);
  });
  it('v0.4, v0.5 and gzip; rate_by_service answer', async () => {
    const n = sink.spans.length;
    const r = await put('/v0.4/traces', encodeDatadogV04([makeSpan()]).body);
    expect(await r.json()).toEqual({ rate_by_service: { 'service:,env:': 1 } });
    expect((await put('/v0.5/traces', encodeDatadogV05([makeSpan()]).body)).status).toBe(200);
    expect((await put('/v0.4/traces', gzipSync(encodeDatadogV04([makeSpan()]).body), { 'content-type': 'application/msgpack', 'content-encoding': 'gzip' })).status).toBe(200);
    expect(sink.spans.length - n).toBe(3);
  });
  it('400 for garbage and truncated payloads, then keeps accepting', async () => {
    const r1 = await put('/v0.4/traces', 'garbage!');
    expect([r1.status, await r1.text()]).toEqual([400, expect.stringMatching(/malformed Datadog v0.4 payload: traces must be an array/)]);
    const good = encodeDatadogV05([makeSpan()]).body;
    const r2 = await put('/v0.5/traces', good.subarray(0, good.length - 4));
    expect([r2.status, await r2.text()]).toEqual([400, expect.stringMatching(/truncated/)]);
    expect((await put('/v0.5/traces', good)).status).toBe(200);
  });
  it('413, 415, 404, 405, 429', async () => {
    expect((await put('/v0.4/traces', new Uint8Array((1 << 20) + 1))).status).toBe(413);
    expect((await put('/v0.4/traces', '[]', { 'content-type': 'application/json' })).status).toBe(415);
    expect((await put('/v9/traces', 'x')).status).toBe(404);
    expect((await fetch(`${base}/v0.4/traces`)).status).toBe(405);
    sink.failWith = new OverloadedError('busy', 5);
    try {
      const r = await put('/v0.4/traces', encodeDatadogV04([makeSpan()]).body);
      expect([r.status, r.headers.get('retry-after')]).toEqual([429, '5']);
    } finally {
      sink.failWith = undefined;
    }
  });
});
