/** Export paths: disabled means the no-op API, the forward socket framing, and a dead backend that costs nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
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
    // 256 per request (the default is 512, as in the OTel spec) so 300 spans take two frames.
    const sdk = init({ flushOnExit: false, batchSize: 256 }, { SKEIN_FORWARD_SOCKET: sock, OTEL_SERVICE_NAME: 'framed' });
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

/** A CPU-bound workload with a span per unit; returns this process's CPU ns per unit (immune to other processes' load). */
async function workload(units: number): Promise<number> {
  const t = trace.getTracer('work');
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  };
  const t0 = cpu();
  for (let done = 0; done < units; done += 200) {
    for (let i = 0; i < 200; i++) {
      t.startActiveSpan('unit', (s) => {
        s.setAttribute('i', i);
        let x = 0;
        for (let k = 0; k < 200; k++) x += Math.sqrt(k);
        s.setAttribute('x', x);
        s.end();
      });
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  return (cpu() - t0) / units;
}

/** A backend that takes every request and answers 200 without decoding (cheap, in-process). */
async function liveUrl(): Promise<{ url: string; close: () => Promise<void> }> {
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/v1/traces`, close: () => new Promise((r) => (srv.closeAllConnections(), srv.close(() => r()))) };
}

describe('no backend', () => {
  it('costs no more than a live backend, never throws, and warns once', async () => {
    const warnings: string[] = [];
    const opts = { flushOnExit: false, flushIntervalMs: 10, batchSize: 128, warn: (m: string) => warnings.push(m) };
    const live = await liveUrl();
    const dead = await deadUrl();
    const costs: Record<string, number[]> = { live: [], dead: [] };
    for (const round of [0, 1, 2]) {
      for (const kind of ['live', 'dead'] as const) {
        const sdk = init({ ...opts, endpoint: kind === 'live' ? live.url : dead }, {});
        if (round === 0) await workload(600);
        costs[kind]!.push(await workload(3000));
        await sdk.forceFlush(5000);
        const q = sdk.provider!.queue;
        if (kind === 'dead') {
          expect(q.exported).toBe(0);
          expect(q.failed).toBeGreaterThan(0);
        } else expect(q.failed).toBe(0);
        await sdk.shutdown();
      }
    }
    await live.close();
    // Within noise: the dead backend's best run costs at most 25% more CPU per unit than the live one's.
    expect(Math.min(...costs.dead!)).toBeLessThan(Math.min(...costs.live!) * 1.25);
    const exportWarnings = warnings.filter((w) => w.includes('cannot export spans'));
    // One warning per SDK lifetime (three were started against the dead backend, each warns once).
    expect(exportWarnings).toHaveLength(3);
    expect(exportWarnings[0]).toMatch(/ECONNREFUSED/);
  });
});
