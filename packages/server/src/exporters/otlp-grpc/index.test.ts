import * as grpc from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProtoWriter, type Span } from '@skein/model';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import type { Receiver } from '../../pipeline/component.js';
import { otlpGrpcReceiverFactory } from '../../receivers/otlp-grpc/index.js';
import { makeSpans } from '../../forwarder/test-support/sink.js';
import { TRACE_EXPORT_PATH, grpcTarget, otlpGrpcSender } from './index.js';
import { retryDelayFromStatusDetails } from './retry-info.js';

const got: Span[] = [];
let receiver: Receiver;
let dir: string;
let failing: grpc.Server;
let failingPort = 0;
let mode: 'unavailable' | 'invalid' = 'unavailable';

/** google.rpc.Status { code, message, details: [Any{RetryInfo{retry_delay: {seconds, nanos}}}] } */
function statusWithRetryInfo(seconds: number, nanos: number): Buffer {
  const w = new ProtoWriter();
  w.int32(1, 14);
  w.string(2, 'busy');
  const any = w.begin(3);
  w.string(1, 'type.googleapis.com/google.rpc.RetryInfo');
  const value = w.begin(2);
  const d = w.begin(1);
  w.int64(1, BigInt(seconds));
  w.int32(2, nanos);
  w.end(d);
  w.end(value);
  w.end(any);
  return Buffer.from(w.finish());
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'skein-grpc-'));
  receiver = otlpGrpcReceiverFactory.create(
    { endpoint: `unix:${dir}/otlp.sock` },
    { logger: pino({ level: 'silent' }), id: 'otlp-grpc' },
    { consume: async (spans) => void got.push(...spans) },
  );
  await receiver.start!();
  failing = new grpc.Server();
  const id = (b: Buffer) => b;
  failing.addService(
    { Export: { path: TRACE_EXPORT_PATH, requestStream: false, responseStream: false, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id } },
    {
      Export: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        const metadata = new grpc.Metadata();
        if (mode === 'unavailable') metadata.set('grpc-status-details-bin', statusWithRetryInfo(1, 500_000_000));
        cb({ code: mode === 'unavailable' ? grpc.status.UNAVAILABLE : grpc.status.INVALID_ARGUMENT, details: 'no', metadata });
      },
    },
  );
  failingPort = await new Promise<number>((res, rej) =>
    failing.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))),
  );
});
afterAll(async () => {
  await receiver?.shutdown?.();
  failing?.forceShutdown();
  await rm(dir, { recursive: true, force: true });
});

describe('otlpGrpcSender', () => {
  it('exports over a unix socket, plain and gzipped', async () => {
    for (const gzip of [false, true]) {
      const s = otlpGrpcSender({ endpoint: `unix:${dir}/otlp.sock`, gzip, headers: { 'x-tenant': 'a' } });
      const spans = makeSpans(4, gzip ? 2 : 1);
      await s.send(spans);
      for (const sp of spans) expect(got.some((g) => g.spanId === sp.spanId)).toBe(true);
      await s.close?.();
    }
  });

  it('maps UNAVAILABLE with RetryInfo to retryable with its delay, INVALID_ARGUMENT to permanent', async () => {
    const s = otlpGrpcSender({ endpoint: `127.0.0.1:${failingPort}` });
    mode = 'unavailable';
    const e = await s.send(makeSpans(1, 3)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RetryableError);
    expect((e as RetryableError).retryAfterMs).toBe(1500);
    mode = 'invalid';
    expect(await s.send(makeSpans(1, 3)).catch((x: unknown) => x)).toBeInstanceOf(PermanentError);
    await s.close?.();
  });

  it('maps a dead peer to retryable, and names a bad endpoint', async () => {
    const s = otlpGrpcSender({ endpoint: `unix:${dir}/nobody.sock`, timeoutMs: 2000 });
    expect(await s.send(makeSpans(1, 4)).catch((x: unknown) => x)).toBeInstanceOf(RetryableError);
    await s.close?.();
    expect(() => grpcTarget('host-without-port')).toThrow(/host-without-port/);
    expect(grpcTarget('https://collector:4317')).toEqual({ target: 'collector:4317', tls: true });
    expect(retryDelayFromStatusDetails(Buffer.from([0xff, 0xff]))).toBeUndefined();
  });
});
