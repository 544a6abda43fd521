/** `skein serve --config`: a Collector-shaped file wires receivers and a remote exporter end to end. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, getJson } from '../test-support/server.js';
import { otelExporter, sendKnownTrace } from '../test-support/otel.js';
import type { RunningServer } from '../serve.js';

const servers: RunningServer[] = [];
let dir = '';
afterAll(async () => {
  for (const s of servers.reverse()) await s.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('serve --config', () => {
  it('stores locally and forwards to a Zipkin backend named in the file; unnamed receivers stay off', async () => {
    const backend = await startTestServer();
    servers.push(backend);
    dir = await mkdtemp(join(tmpdir(), 'skein-config-'));
    const file = join(dir, 'skein.yaml');
    await writeFile(
      file,
      `receivers:
  otlp:
    protocols:
      http: { endpoint: 127.0.0.1:0 }
  zipkin: { endpoint: 127.0.0.1:0 }
processors:
  batch: { send_batch_size: 100, timeout: 5ms }
exporters:
  skein: {}
  zipkin/backend: { endpoint: http://${backend.addresses.zipkin} }
skein: { memory: true, http: 127.0.0.1:0 }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [skein, zipkin/backend] }
`,
    );
    const { pino } = await import('pino');
    const { startServe } = await import('../serve.js');
    const front = await startServe({ config: file, logger: pino({ level: 'silent' }) });
    servers.push(front);
    expect(front.addresses.otlpHttp).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(front.addresses.otlpGrpc).toBeUndefined();
    expect(front.addresses.zipkin).toBeUndefined();

    const sent = await sendKnownTrace(otelExporter('http/protobuf', front.addresses.otlpHttp!), 'via-config');
    const local = await getJson(front.httpAddress, `/api/traces/${sent.traceId}`);
    expect(local.body.data[0].spans).toHaveLength(3);
    const remote = await waitFor(async () => {
      const r = await getJson(backend.httpAddress, `/api/traces/${sent.traceId}`);
      return r.status === 200 && r.body.data[0].spans.length === 3 ? r.body : undefined;
    });
    const names = remote.data[0].spans.map((s: { operationName: string }) => s.operationName).sort();
    expect(names).toEqual(['GET /cart', 'SELECT cart', 'parse']);
  });
});
