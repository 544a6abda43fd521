import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeOtlpProto } from '@skein/model';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { runForward, type ForwardHandle } from '../forward.js';
import type { RunningServer } from '../serve.js';
import { startTestServer } from '../test-support/server.js';
import { encodeFrame } from '../receivers/framed/frames.js';
import { makeSpans } from './test-support/sink.js';

let serve: RunningServer | undefined;
let fwd: ForwardHandle | undefined;
let dir: string | undefined;
afterAll(async () => {
  await fwd?.close();
  await serve?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function writeFrames(opts: net.NetConnectOpts, frame: Buffer): Promise<void> {
  const s = net.connect(opts);
  await new Promise((r) => s.once('connect', r));
  await new Promise<void>((r) => s.end(frame, () => r()));
}

describe('forward -> skein serve', () => {
  it('spans sent through the framed mode and a hybrid vsock path are queryable in skein serve', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'skein-to-serve-'));
    const logger = pino({ level: 'silent' });
    serve = await startTestServer();
    fwd = await runForward({
      otlpHttp: 'off',
      otlpGrpc: 'off',
      framed: `unix:${dir}/framed.sock`,
      hybridVsock: `${dir}/fc.vsock:1024`,
      spool: path.join(dir, 'spool'),
      to: [`otlp-http://${serve.addresses.otlpHttp}`],
      logger,
    });
    const a = makeSpans(6, 1, 2);
    const b = makeSpans(6, 2, 2);
    await writeFrames({ path: `${dir}/framed.sock` }, encodeFrame(encodeOtlpProto(a)));
    await writeFrames({ path: `${dir}/fc.vsock_1024` }, encodeFrame(encodeOtlpProto(b)));
    const traceIds = [...new Set([...a, ...b].map((s) => s.traceId))];
    const count = async () => (await Promise.all(traceIds.map((t) => serve!.store.getTrace(t)))).reduce((n, spans) => n + spans.length, 0);
    let n = 0;
    for (let i = 0; i < 100 && n < 12; i++) {
      n = await count();
      if (n < 12) await new Promise((r) => setTimeout(r, 100));
    }
    expect(n).toBe(12);
  });
});
