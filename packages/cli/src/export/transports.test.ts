/**
 * Every export transport against a real listener: OTLP/HTTP protobuf and JSON, OTLP/gRPC
 * (grpc-js server), the `skein forward` framed unix socket, and an HTTP error answer.
 */
import { createServer as createHttpServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtlpProto } from '@skein/model';
import { startGrpcReceiver } from '../test-support/grpc-receiver.js';
import { startReceiver, type Receiver } from '../test-support/receiver.js';
import type { CliSpan } from '../trace/cli-span.js';
import { resolveTarget } from './config.js';
import { encodeCliSpansJson, encodeCliSpansProto } from './otlp-encode.js';
import { sendSpans } from './send.js';

const span = (name: string): CliSpan => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  parentSpanId: '',
  traceState: '',
  flags: 1,
  name,
  kind: 1,
  startNs: 1_764_216_000_000_000_000n,
  endNs: 1_764_216_000_500_000_000n,
  attributes: [['k', 'v']],
  events: [],
  statusCode: 0,
  statusMessage: '',
  service: 'svc',
});
const payload = (s: CliSpan) => ({ proto: () => encodeCliSpansProto([s]), json: () => encodeCliSpansJson([s]) });

let receiver: Receiver;
let dir: string;
beforeAll(async () => {
  [receiver, dir] = await Promise.all([startReceiver(), mkdtemp(join(tmpdir(), 'skein-framed-'))]);
});
afterAll(async () => {
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('export transports', () => {
  it('sends OTLP/HTTP protobuf and JSON', async () => {
    await sendSpans(resolveTarget({ endpoint: receiver.url }, {}), payload(span('proto')));
    await sendSpans(resolveTarget({ endpoint: receiver.url, protocol: 'http/json' }, {}), payload(span('json')));
    expect(receiver.spans.map((s) => s.name)).toEqual(['proto', 'json']);
    expect(receiver.spans[1]!.attributes).toEqual([{ key: 'k', value: 'v' }]);
  });

  it('sends OTLP/gRPC', async () => {
    const server = await startGrpcReceiver();
    try {
      await sendSpans(resolveTarget({ endpoint: `http://127.0.0.1:${server.port}`, protocol: 'grpc' }, {}), payload(span('grpc')));
      expect(server.spans.map((s) => s.name)).toEqual(['grpc']);
    } finally {
      server.close();
    }
  });

  it('sends length-prefixed frames to a skein forward unix socket', async () => {
    const path = join(dir, 'forward.sock');
    const frames: Buffer[] = [];
    const server: Server = createServer((sock) => {
      const chunks: Buffer[] = [];
      sock.on('data', (c) => chunks.push(c));
      sock.on('end', () => frames.push(Buffer.concat(chunks)));
    });
    await new Promise<void>((r) => server.listen(path, r));
    try {
      await sendSpans(resolveTarget({ endpoint: `unix:${path}` }, {}), payload(span('framed')));
      await new Promise((r) => setTimeout(r, 50));
      expect(frames).toHaveLength(1);
      const len = frames[0]!.readUInt32BE(0);
      expect(len).toBe(frames[0]!.length - 4);
      expect(decodeOtlpProto(frames[0]!.subarray(4)).spans.map((s) => s.name)).toEqual(['framed']);
    } finally {
      server.close();
    }
    await expect(sendSpans(resolveTarget({ endpoint: `unix:${path}` }, {}), payload(span('gone')))).rejects.toThrow(/no skein forward listens there/);
  });

  it('reports an HTTP error answer with its status and message', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(503, { 'retry-after': '1' }).end('store is full'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      await expect(sendSpans(resolveTarget({ endpoint: `http://127.0.0.1:${port}` }, {}), payload(span('x')))).rejects.toThrow(/HTTP 503 store is full/);
    } finally {
      server.close();
    }
  });
});
