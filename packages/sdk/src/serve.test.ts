/** End to end: @opentelemetry/instrumentation-http feeding @skein/sdk, exported into a real `skein serve`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@skein/server';
import { startTestServer } from '../../server/src/test-support/server.js';
import { childScript, cleanEnv, runChild } from './test-support/child.js';
import { orphans } from './test-support/receiver.js';

let server: RunningServer;
beforeAll(async () => {
  // every listener on an ephemeral port: the defaults (9411, 8126, ...) may belong to a running serve
  server = await startTestServer();
});
afterAll(() => server.close());

describe('instrumentation-http through @skein/sdk into skein serve', () => {
  it('stores a client and a server request as one connected trace', async () => {
    const run = runChild(childScript('http-instr.ts'), cleanEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://${server.addresses.otlpHttp}`, OTEL_SERVICE_NAME: 'http-app' }));
    expect(await run.done).toBe(0);
    const traceId = /TRACE (\w+)/.exec(run.stdout)![1]!;
    let spans = await server.store.getTrace(traceId);
    for (let i = 0; i < 50 && spans.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      spans = await server.store.getTrace(traceId);
    }
    expect(spans).toHaveLength(3);
    const root = spans.find((s) => s.name === 'client-op')!;
    const client = spans.find((s) => s.kind === 3)!;
    const srv = spans.find((s) => s.kind === 2)!;
    expect(root.parentSpanId).toBe('');
    expect(client.parentSpanId).toBe(root.spanId);
    expect(srv.parentSpanId).toBe(client.spanId);
    expect(srv.attributes.some((a) => a.value === '/hello' || (typeof a.value === 'string' && a.value.endsWith('/hello')))).toBe(true);
    expect(orphans(spans)).toEqual([]);
  });
});
