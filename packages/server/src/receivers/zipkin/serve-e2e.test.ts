/**
 * The acceptance check: real npm clients send to a running `skein serve` (in-process, memory
 * store) on the Zipkin, Jaeger and Datadog ports, and the traces come back from the query API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import type { RunningServer } from '../../serve.js';
import { getJson, startTestServer } from '../../test-support/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

 
/** UDP and dd-trace give no acknowledgement: wait until the query API shows `n` spans. */
async function traceWhenComplete(traceId: string, n: number, ms = 10_000): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { status, body } = await getJson(server.httpAddress, `/api/traces/${traceId}`);
    if (status === 200 && body.data?.[0]?.spans?.length >= n) return body.data[0];
    if (Date.now() > deadline) throw new Error(`trace ${traceId} has not got ${n} spans after ${ms} ms (status ${status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const tag = (s: any, key: string) => s.tags.find((t: any) => t.key === key)?.value;
const service = (t: any, s: any) => t.processes[s.processID].serviceName;
const parentOf = (s: any) => s.references.find((r: any) => r.refType === 'CHILD_OF')?.spanID;

describe('real clients -> skein serve -> Jaeger query API', () => {
  it('@opentelemetry/exporter-zipkin on the Zipkin port', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'zk-e2e' }),
      spanProcessors: [new SimpleSpanProcessor(new ZipkinExporter({ url: `http://${server.addresses.zipkin}/api/v2/spans` }))],
    });
    const tracer = provider.getTracer('e2e');
    const root = tracer.startSpan('GET /e2e', { kind: SpanKind.SERVER, attributes: { 'http.method': 'GET' } });
    const child = tracer.startSpan('work', {}, trace.setSpan(context.active(), root));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'nope' });
    child.end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();
    const t = await traceWhenComplete(root.spanContext().traceId, 2);
    const r = t.spans.find((s: any) => s.operationName === 'GET /e2e');
    const c = t.spans.find((s: any) => s.operationName === 'work');
    expect([service(t, r), tag(r, 'http.method'), tag(r, 'span.kind'), parentOf(c), tag(c, 'error')]).toEqual(['zk-e2e', 'GET', 'server', r.spanID, true]);
  });

  it('jaeger-client over UDP (binary, its default) and HTTP collectorEndpoint', async () => {
    const require = createRequire(import.meta.url);
    const { initTracer } = require('jaeger-client') as { initTracer(c: object, o: object): any };
    const port = Number(String(server.addresses.jaegerBinary).split(':').pop());
    for (const reporter of [{ agentHost: '127.0.0.1', agentPort: port }, { collectorEndpoint: `http://${server.addresses.jaegerHttp}/api/traces` }]) {
      const tracer = initTracer({ serviceName: 'jc-e2e', sampler: { type: 'const', param: 1 }, reporter: { ...reporter, flushIntervalMs: 20 } }, {});
      const root = tracer.startSpan('jroot', { tags: { 'span.kind': 'server', n: 3 } });
      const child = tracer.startSpan('jchild', { childOf: root });
      child.setTag('error', true);
      child.finish();
      root.finish();
      await new Promise<void>((r) => tracer.close(r));
      const t = await traceWhenComplete(root.context().toTraceId().padStart(32, '0'), 2);
      const r = t.spans.find((s: any) => s.operationName === 'jroot');
      const c = t.spans.find((s: any) => s.operationName === 'jchild');
      expect([service(t, r), tag(r, 'n'), parentOf(c), tag(c, 'error')]).toEqual(['jc-e2e', 3, r.spanID, true]);
    }
  });

  it('dd-trace (v0.4) on the Datadog port', async () => {
    const script = fileURLToPath(new URL('../datadog/dd-client.fixture.mjs', import.meta.url));
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', DD_TRACE_AGENT_URL: `http://${server.addresses.datadog}` }, timeout: 20_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
    );
    const ids = JSON.parse(out) as { traceId: string; root: string; child: string };
    const t = await traceWhenComplete(ids.traceId, 2);
    const r = t.spans.find((s: any) => s.spanID === ids.root);
    const c = t.spans.find((s: any) => s.spanID === ids.child);
    expect([r.operationName, service(t, r), tag(r, 'resource.name')]).toEqual(['web.request', 'dd-app', 'GET /orders']);
    expect([c.operationName, service(t, c), parentOf(c), tag(c, 'error')]).toEqual(['pg.query', 'dd-app-postgres', ids.root, true]);
  });
});
