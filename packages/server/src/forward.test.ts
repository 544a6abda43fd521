import http from 'node:http';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeOtlpProto } from '@skein/model';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runForward, type ForwardHandle } from './forward.js';
import { Sink, freePort, makeSpans, until } from './forwarder/test-support/sink.js';
import { postOtlp } from './forwarder/test-support/process.js';
import { encodeFrame } from './receivers/framed/frames.js';
import { otlpGrpcSender } from './exporters/otlp-grpc/index.js';

const logger = pino({ level: 'silent' });
let dir: string;
let sink: Sink;
let fwd: ForwardHandle;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'skein-forward-'));
  sink = new Sink(await freePort());
  await sink.up();
  fwd = await runForward({
    otlpHttp: '127.0.0.1:0',
    otlpGrpc: `unix:${dir}/otlp-grpc.sock`,
    framed: '127.0.0.1:0',
    hybridVsock: `${dir}/vm.vsock:1234`,
    http: '127.0.0.1:0',
    to: [sink.url],
    spool: path.join(dir, 'spool'),
    maxFrameBytes: 1 << 20,
    logger,
    retry: { initialIntervalMs: 20, maxIntervalMs: 100 },
  });
});
afterAll(async () => {
  await fwd?.close();
  await sink?.down();
  await rm(dir, { recursive: true, force: true });
});

function connect(opts: net.NetConnectOpts): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(opts, () => resolve(s));
    s.once('error', reject);
  });
}

function tcp(addr: string): net.NetConnectOpts {
  const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
  return { host, port };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('runForward', () => {
  it('framed stream over TCP reaches the destination', async () => {
    const spans = makeSpans(30, 1000);
    const s = await connect(tcp(fwd.addresses.framed!));
    s.write(encodeFrame(encodeOtlpProto(spans.slice(0, 10))));
    // a frame split across writes
    const f = encodeFrame(encodeOtlpProto(spans.slice(10)));
    s.write(f.subarray(0, 7));
    await new Promise((r) => setTimeout(r, 20));
    s.end(f.subarray(7));
    await sink.waitFor(spans.map((x) => x.spanId));
  });

  it('hybrid vsock: framed (u32) and OTLP/HTTP on PATH_PORT both reach the destination', async () => {
    const sock = `${dir}/vm.vsock_1234`;
    const a = makeSpans(10, 1001);
    const s = await connect({ path: sock });
    s.end(encodeFrame(encodeOtlpProto(a)));
    const b = makeSpans(10, 1002);
    const status = await postOtlp(`unix:${sock}`, encodeOtlpProto(b));
    expect(status).toBe(200);
    await sink.waitFor([...a, ...b].map((x) => x.spanId));
  });

  it('OTLP/gRPC on a unix socket reaches the destination', async () => {
    const spans = makeSpans(8, 1004);
    const client = otlpGrpcSender({ endpoint: fwd.addresses.otlpGrpc! });
    await client.send(spans);
    await client.close?.();
    await sink.waitFor(spans.map((x) => x.spanId));
  });

  it('closes a connection that announces an oversized frame, counting it', async () => {
    const s = await connect(tcp(fwd.addresses.framed!));
    const closed = new Promise<void>((r) => s.on('close', () => r()));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(2 << 20);
    s.write(head);
    await closed;
    const m = await get(`http://${fwd.addresses.http}/metrics`);
    expect(m.body).toMatch(/skein_forward_framed_oversized_frames_total 1/);
  });

  it('serves /healthz and /metrics with per-destination counters', async () => {
    const h = await get(`http://${fwd.addresses.http}/healthz`);
    expect(h.status).toBe(200);
    const spans = makeSpans(5, 1003);
    const body = Buffer.from(encodeOtlpProto(spans));
    const res = await fetch(`http://${fwd.addresses.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    });
    expect(res.status).toBe(200);
    await sink.waitFor(spans.map((s) => s.spanId));
    const [d] = fwd.forwarder.destinations.values();
    await until(() => d!.delivery.stats.sentSpans >= 55);
    const m = await get(`http://${fwd.addresses.http}/metrics`);
    expect(m.status).toBe(200);
    expect(m.body).toContain(`skein_forward_destination_sent_spans_total{destination="${sink.url}"}`);
    const received = Number(/skein_forward_received_spans_total (\d+)/.exec(m.body)![1]);
    expect(received).toBeGreaterThanOrEqual(55);
    expect(m.body).toMatch(/skein_forward_spool_segments \d+/);
    expect(m.body).toMatch(/skein_forward_destination_lag_spans\{[^}]+\} 0/);
  });
});
