/** A real in-memory `skein serve`, every listener on an ephemeral port. */
import type { RunningServer } from '@skein/server';
import { startTestServer } from '../../../server/src/test-support/server.js';

export interface TestServe {
  server: RunningServer;
  /** http://host:port of the query API. */
  api: string;
  /** http://host:port of the OTLP/HTTP receiver. */
  otlp: string;
}

export async function startTestServe(): Promise<TestServe> {
  const server = await startTestServer();
  return { server, api: `http://${server.addresses.http}`, otlp: `http://${server.addresses.otlpHttp}` };
}

/** Polls the classic API until the trace has `count` spans (ingest is visible within 1 s). */
export async function waitForTrace(api: string, traceId: string, count: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${api}/api/traces/${traceId}`);
    if (res.ok) {
      const body = (await res.json()) as { data?: Array<{ spans: unknown[] }> };
      if ((body.data?.[0]?.spans.length ?? 0) >= count) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} did not reach ${count} spans`);
}
