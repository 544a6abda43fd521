/**
 * `skein forward` benchmark: spans/s in (acknowledged by the spool) and out (accepted by the
 * destination, a `skein serve --memory` child when the CLI is built, else an in-process
 * MemoryStore sink), and a sender's request latency p50/p99 with every destination up versus
 * every destination down, measured interleaved in the same run (target: no difference beyond noise).
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { encodeOtlpProto } from '../packages/model/src/index.js';
import { runForward, type ForwardHandle } from '../packages/server/src/forward.js';
import { Sink, freePort, makeSpans } from '../packages/server/src/forwarder/test-support/sink.js';
import { startServeProcess, type ServeProcess } from './lib/serve-process.js';

export interface ForwardBenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

function post(agent: http.Agent, address: string, body: Uint8Array): Promise<number> {
  const i = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: address.slice(0, i), port: Number(address.slice(i + 1)), path: '/v1/traces', method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function destination(): Promise<{ url: string; note: string; stop(): Promise<unknown> }> {
  try {
    const serve: ServeProcess = await startServeProcess(['--memory']);
    return { url: `otlp-http://${serve.addresses.otlpHttp}`, note: 'to skein serve --memory', stop: () => serve.stop() };
  } catch {
    const sink = new Sink(await freePort());
    await sink.up();
    return { url: sink.url, note: 'to an in-process MemoryStore sink (CLI not built)', stop: () => sink.down() };
  }
}

export async function benchForward(opts: { batches?: number; batchSpans?: number; latencyRequests?: number } = {}): Promise<ForwardBenchRow[]> {
  const batches = opts.batches ?? 200;
  const batchSpans = opts.batchSpans ?? 500;
  const latencyRequests = opts.latencyRequests ?? 300;
  const logger = pino({ level: 'silent' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'skein-bench-fwd-'));
  const dest = await destination();
  const handles: ForwardHandle[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const start = (name: string, to: string) =>
      runForward({ otlpHttp: '127.0.0.1:0', otlpGrpc: 'off', spool: path.join(dir, name), spoolMax: '4GB', to: [to], logger }).then((h) => {
        handles.push(h);
        return h;
      });
    const up = await start('up', dest.url);
    const down = await start('down', `otlp-http://127.0.0.1:${await freePort()}`);

    // Throughput: 8 concurrent senders, pre-encoded batches.
    const bodies = Array.from({ length: batches }, (_, i) => encodeOtlpProto(makeSpans(batchSpans, 10_000 + i, batchSpans / 10)));
    const total = batches * batchSpans;
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < bodies.length) {
          const status = await post(agent, up.addresses.otlpHttp!, bodies[next++]!);
          if (status !== 200) throw new Error(`forwarder answered ${status}`);
        }
      }),
    );
    const inMs = performance.now() - t0;
    const [d] = up.forwarder.destinations.values();
    while (d!.delivery.stats.sentSpans < total) await new Promise((r) => setTimeout(r, 5));
    const outMs = performance.now() - t0;
    // Latency: one sender, small batches, alternating between the two forwarders.
    const small = Array.from({ length: 20 }, (_, i) => encodeOtlpProto(makeSpans(50, 20_000 + i)));
    const lat = { up: [] as number[], down: [] as number[] };
    for (let i = 0; i < latencyRequests * 2; i++) {
      const which = i % 2 === 0 ? 'up' : 'down';
      const h = which === 'up' ? up : down;
      const t = performance.now();
      const status = await post(agent, h.addresses.otlpHttp!, small[i % small.length]!);
      if (status !== 200) throw new Error(`forwarder (${which}) answered ${status}`);
      lat[which].push(performance.now() - t);
    }
    // Drain rate: a load spooled while the destination is gone, then a restart that delivers it.
    await up.forwarder.setDestinations([], 'tail');
    for (let i = 0; i < batches; i++) await post(agent, up.addresses.otlpHttp!, encodeOtlpProto(makeSpans(batchSpans, 30_000 + i, batchSpans / 10)));
    handles.splice(handles.indexOf(up), 1);
    await up.close();
    const t1 = performance.now();
    const drain = await runForward({ otlpHttp: 'off', otlpGrpc: 'off', spool: path.join(dir, 'up'), to: [dest.url], logger });
    handles.push(drain);
    const [dd] = drain.forwarder.destinations.values();
    const drainSpans = dd!.delivery.stats.sentSpans + drain.forwarder.spool.lag(dd!.delivery.cursor).spans;
    while (drain.forwarder.spool.lag(dd!.delivery.cursor).spans > 0) await new Promise((r) => setTimeout(r, 5));
    const drainMs = performance.now() - t1;
    const note = `${batchSpans}-span batches, 8 connections, fsync per batch`;
    return [
      { name: 'forward in (acknowledged)', value: total / (inMs / 1000), unit: 'spans/s', note },
      { name: 'forward in+out (delivered while sending)', value: total / (outMs / 1000), unit: 'spans/s', note: dest.note },
      { name: 'forward drain (spooled backlog)', value: drainSpans / (drainMs / 1000), unit: 'spans/s', note: `${drainSpans} spans after a restart` },
      { name: 'sender latency p50, destinations up', value: pct(lat.up, 50), unit: 'ms', note: '50-span requests' },
      { name: 'sender latency p50, destinations down', value: pct(lat.down, 50), unit: 'ms' },
      { name: 'sender latency p99, destinations up', value: pct(lat.up, 99), unit: 'ms' },
      { name: 'sender latency p99, destinations down', value: pct(lat.down, 99), unit: 'ms' },
      { name: 'p99 down / p99 up', value: pct(lat.down, 99) / pct(lat.up, 99), unit: 'ratio', note: 'target: ~1 (no added latency while backends are down)' },
    ];
  } finally {
    agent.destroy();
    for (const h of handles) await h.close();
    await dest.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
