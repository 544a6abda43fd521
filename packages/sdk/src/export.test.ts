/** Export paths: disabled means the no-op API, the forward socket framing, and a dead backend that costs nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { init } from './index.js';
import { startFramedReceiver } from './test-support/receiver.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'skein-sdk-export-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('disabled', () => {
  it('OTEL_SDK_DISABLED leaves the no-op API in place', () => {
    const sdk = init({}, { OTEL_SDK_DISABLED: 'true' });
    expect(sdk.active).toBe(false);
    const s = trace.getTracer('x').startSpan('nothing');
    expect(s.isRecording()).toBe(false);
    expect(s.spanContext().traceId).toBe('0'.repeat(32));
  });
});

describe('forward socket exporter', () => {
  it('writes length-framed OTLP requests to skein forward’s unix socket', async () => {
    const sock = path.join(dir, 'fwd.sock');
    const rx = await startFramedReceiver(sock);
    const sdk = init({ flushOnExit: false }, { SKEIN_FORWARD_SOCKET: sock, OTEL_SERVICE_NAME: 'framed' });
    const t = trace.getTracer('fwd');
    for (let i = 0; i < 300; i++) t.startActiveSpan(`op-${i % 3}`, (s) => s.end());
    await sdk.shutdown();
    await rx.waitFor(300);
    expect(rx.spans).toHaveLength(300);
    expect(rx.requests).toBeGreaterThanOrEqual(2);
    expect(rx.spans[0]!.resource.attributes).toContainEqual({ key: 'service.name', value: 'framed' });
    await rx.close();
  });
});

async function deadUrl(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${port}/v1/traces`;
}

/** A CPU-bound workload with a span per unit; returns units per ms. */
async function workload(ms: number): Promise<number> {
  const t = trace.getTracer('work');
  let units = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) {
      t.startActiveSpan('unit', (s) => {
        s.setAttribute('i', i);
        let x = 0;
        for (let k = 0; k < 200; k++) x += Math.sqrt(k);
        s.setAttribute('x', x);
        s.end();
      });
      units++;
    }
    await new Promise((r) => setImmediate(r));
  }
  return units / ms;
}

describe('no backend', () => {
  it('does not slow the program, never throws, and warns once', async () => {
    const warnings: string[] = [];
    const opts = { flushOnExit: false, flushIntervalMs: 10, batchSize: 128, warn: (m: string) => warnings.push(m) };
    const off = init({ ...opts, endpoint: 'none' }, {});
    await workload(150);
    const base = [await workload(400)];
    await off.shutdown();
    const dead = init({ ...opts, endpoint: await deadUrl() }, {});
    const withDead = [await workload(400)];
    await dead.forceFlush(5000);
    const q = dead.provider!.queue;
    expect(q.failed).toBeGreaterThan(128 * 3);
    expect(q.exported).toBe(0);
    await dead.shutdown();
    base.push(await (async () => {
      const again = init({ ...opts, endpoint: 'none' }, {});
      const r = await workload(400);
      await again.shutdown();
      return r;
    })());
    const baseline = Math.max(...base);
    // Within noise on a shared machine: at least 70% of the best baseline run.
    expect(withDead[0]! / baseline).toBeGreaterThan(0.7);
    const exportWarnings = warnings.filter((w) => w.includes('cannot export spans'));
    expect(exportWarnings).toHaveLength(1);
    expect(exportWarnings[0]).toMatch(/ECONNREFUSED/);
  });
});
