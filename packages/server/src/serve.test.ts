import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestServer, getJson } from './test-support/server.js';
import { hrToNs, otelExporter, sendKnownTrace, type OtelProtocol } from './test-support/otel.js';
import type { RunningServer } from './serve.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const address = (p: OtelProtocol) => (p === 'grpc' ? server.addresses.otlpGrpc! : server.addresses.otlpHttp!);

describe.each<OtelProtocol>(['http/protobuf', 'http/json', 'grpc'])('real OpenTelemetry exporter over %s', (protocol) => {
  it('stores the trace exactly, as the Jaeger API shows it', async () => {
    const sent = await sendKnownTrace(otelExporter(protocol, address(protocol)), `svc-${protocol}`);
    const { status, body } = await getJson(server.httpAddress, `/api/traces/${sent.traceId}`);
    expect(status).toBe(200);
    const trace = body.data[0];
    expect(trace.traceID).toBe(sent.traceId);
    expect(trace.spans).toHaveLength(3);
    const byId = new Map<string, any>(trace.spans.map((s: any) => [s.spanID, s]));
    for (const fin of sent.finished as ReadableSpan[]) {
      const span = byId.get(fin.spanContext().spanId);
      expect(span.operationName).toBe(fin.name);
      // µs = ns / 1000, truncated, as Jaeger does.
      expect(span.startTime).toBe(Number(hrToNs(fin.startTime) / 1000n));
      expect(span.duration).toBe(Number((hrToNs(fin.endTime) - hrToNs(fin.startTime)) / 1000n));
      expect(trace.processes[span.processID].serviceName).toBe(`svc-${protocol}`);
    }
    const root = byId.get(sent.spanIds.root);
    const child = byId.get(sent.spanIds.child);
    const grandchild = byId.get(sent.spanIds.grandchild);
    expect(root.references).toEqual([]);
    expect(child.references).toContainEqual({ refType: 'CHILD_OF', traceID: sent.traceId, spanID: sent.spanIds.root });
    expect(child.references).toContainEqual({ refType: 'FOLLOWS_FROM', traceID: 'ab'.repeat(16), spanID: 'cd'.repeat(8) });
    expect(grandchild.references).toEqual([{ refType: 'CHILD_OF', traceID: sent.traceId, spanID: sent.spanIds.child }]);
    const tag = (s: any, key: string) => s.tags.find((t: any) => t.key === key);
    expect(tag(root, 'http.status_code')).toEqual({ key: 'http.status_code', type: 'int64', value: 200 });
    expect(tag(root, 'ratio')).toEqual({ key: 'ratio', type: 'float64', value: 0.25 });
    expect(tag(root, 'cached')).toEqual({ key: 'cached', type: 'bool', value: true });
    expect(tag(root, 'span.kind').value).toBe('server');
    expect(tag(child, 'span.kind').value).toBe('client');
    expect(tag(grandchild, 'error')).toEqual({ key: 'error', type: 'bool', value: true });
    expect(tag(grandchild, 'otel.status_description').value).toBe('bad row');
    expect(child.logs).toHaveLength(1);
    expect(child.logs[0].fields).toContainEqual({ key: 'event', type: 'string', value: 'row fetched' });
    expect(child.logs[0].fields).toContainEqual({ key: 'row.id', type: 'int64', value: 7 });
    expect(trace.processes[root.processID].tags).toContainEqual({ key: 'host.name', type: 'string', value: 'box-1' });
  });

  it('answers /api/v3/traces/{id} with OTLP JSON keeping every nanosecond', async () => {
    const sent = await sendKnownTrace(otelExporter(protocol, address(protocol)));
    const { status, body } = await getJson(server.httpAddress, `/api/v3/traces/${sent.traceId}`);
    expect(status).toBe(200);
    const spans = body.result.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    expect(spans).toHaveLength(3);
    for (const fin of sent.finished) {
      const span = spans.find((s: any) => s.spanId === fin.spanContext().spanId);
      expect(BigInt(span.startTimeUnixNano)).toBe(hrToNs(fin.startTime));
      expect(BigInt(span.endTimeUnixNano)).toBe(hrToNs(fin.endTime));
    }
  });
});

describe('serve', () => {
  it('reports health, lists services and operations', async () => {
    await sendKnownTrace(otelExporter('http/protobuf', server.addresses.otlpHttp!), 'listing');
    expect((await getJson(server.httpAddress, '/healthz')).status).toBe(200);
    expect((await getJson(server.httpAddress, '/api/services')).body.data).toContain('listing');
    const ops = (await getJson(server.httpAddress, '/api/services/listing/operations')).body.data;
    expect([...ops].sort()).toEqual(['GET /cart', 'SELECT cart', 'parse']);
  });

  it('tells where its receivers listen (the UI shows a new user where to send spans)', async () => {
    const { status, body } = await getJson(server.httpAddress, '/api/skein/receivers');
    expect(status).toBe(200);
    expect(body.receivers.otlpHttp).toBe(server.addresses.otlpHttp);
    expect(body.receivers.otlpGrpc).toBe(server.addresses.otlpGrpc);
    expect(body.receivers.otlpHttp).not.toBe('127.0.0.1:4318'); // the test's ephemeral port, not the default
    expect(body.receivers.http).toBeUndefined();
  });

  it('accepts OTLP/HTTP on the UI port too (import)', async () => {
    const sent = await sendKnownTrace(otelExporter('http/protobuf', server.httpAddress), 'imported');
    const { body } = await getJson(server.httpAddress, `/api/traces/${sent.traceId}`);
    expect(body.data[0].spans).toHaveLength(3);
  });
});
