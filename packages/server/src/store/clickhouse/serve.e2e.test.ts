/**
 * `skein serve --clickhouse` end to end: the real CLI (from source) in a child process, spans
 * from the real OpenTelemetry OTLP/protobuf exporter, read back through /api/traces/{id} and
 * straight from ClickHouse; the `skein: { clickhouse }` config key; and the --memory conflict.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { spawnTs } from '../../test-support/child.js';
import { getJson } from '../../test-support/server.js';
import { hrToNs, otelExporter, sendKnownTrace } from '../../test-support/otel.js';
import { startServe } from '../../serve.js';
import { ClickHouseStore } from './index.js';
import { startClickHouse, type TestClickHouse } from './test-support/clickhouse-server.js';

const CLI = fileURLToPath(new URL('../../../../cli/src/cli-dev.ts', import.meta.url));
const OFF = ['--otlp-grpc', '--zipkin', '--jaeger-http', '--jaeger-compact', '--jaeger-binary', '--datadog'].flatMap((f) => [f, 'off']);

let server: TestClickHouse;
let dir: string;
beforeAll(async () => {
  server = await startClickHouse();
  dir = await mkdtemp(join(tmpdir(), 'skein-ch-serve-'));
});
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('skein serve --clickhouse', () => {
  it('stores what the OpenTelemetry exporter sends in ClickHouse and serves it by trace id', async () => {
    const url = server.url('e2e');
    const child = spawnTs(CLI, ['serve', '--clickhouse', url, '--data', join(dir, 'unused'), '--http', '127.0.0.1:0', '--otlp-http', '127.0.0.1:0', ...OFF]);
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    try {
      const up = await new Promise<Record<string, string>>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const line = out.split('\n').find((l) => l.includes('skein serve is up'));
          if (line) resolve(JSON.parse(line));
        });
        child.once('exit', (code) => reject(new Error(`skein serve exited with ${code}:\n${out}\n${err}`)));
      });
      expect(up.store).toBe(url);

      const sent = await sendKnownTrace(otelExporter('http/protobuf', up.otlpHttp!), 'ch-checkout');
      const { status, body } = await getJson(up.http!, `/api/traces/${sent.traceId}`);
      expect(status).toBe(200);
      const spans: any[] = body.data[0].spans;
      expect(spans.map((s) => s.spanID).sort()).toEqual(Object.values(sent.spanIds).sort());
      for (const fin of sent.finished) {
        const span = spans.find((s) => s.spanID === fin.spanContext().spanId);
        expect(span.operationName).toBe(fin.name);
        expect(span.startTime).toBe(Number(hrToNs(fin.startTime) / 1000n));
        expect(body.data[0].processes[span.processID].serviceName).toBe('ch-checkout');
      }

      // the spans are in ClickHouse itself, every nanosecond kept; and no DuckDB file was made
      const direct = await ClickHouseStore.open({ url });
      const stored = await direct.getTrace(sent.traceId);
      await direct.close();
      expect(stored.map((s) => s.startTimeUnixNano).sort()).toEqual(sent.finished.map((f) => hrToNs(f.startTime)).sort());
      const { existsSync } = await import('node:fs');
      expect(existsSync(join(dir, 'unused'))).toBe(false);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit').catch(() => undefined);
    }
    expect(child.exitCode).toBe(0);
  }, 60_000);

  it('takes the server from the config file (skein: { clickhouse }) and refuses it with --memory', async () => {
    const url = server.url('from_config');
    const file = join(dir, 'skein.yaml');
    await writeFile(
      file,
      `receivers:
  otlp:
    protocols:
      http: { endpoint: 127.0.0.1:0 }
exporters:
  skein: {}
skein: { clickhouse: "${url}", http: 127.0.0.1:0 }
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [skein] }
`,
    );
    const logger = pino({ level: 'silent' });
    const serve = await startServe({ config: file, logger });
    try {
      expect(serve.store).toBeInstanceOf(ClickHouseStore);
      expect((serve.store as ClickHouseStore).url).toBe(url);
    } finally {
      await serve.close();
    }
    await expect(startServe({ config: file, memory: true, logger })).rejects.toThrow('--clickhouse and --memory both say where spans go');
    await expect(startServe({ memory: true, clickhouse: url, http: '127.0.0.1:0', logger })).rejects.toThrow(/--clickhouse and --memory/);
  });
});
