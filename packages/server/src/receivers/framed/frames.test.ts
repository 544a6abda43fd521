import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeOtlpProto, type Span } from '@skein/model';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSpans, until } from '../../forwarder/test-support/sink.js';
import { FrameDecoder, FrameTooLargeError, encodeFrame } from './frames.js';
import { framedReceiverFactory } from './index.js';
import { hybridVsockReceiverFactory, hybridVsockSocketPath } from './hybrid-vsock.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('FrameDecoder', () => {
  it('cuts u32 and u64 frames from arbitrary chunks', () => {
    for (const width of [4, 8] as const) {
      const frames = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(300, 7)];
      const wire = Buffer.concat(frames.map((f) => encodeFrame(f, width)));
      const d = new FrameDecoder(width);
      const out: Buffer[] = [];
      for (let i = 0; i < wire.length; i += 3) out.push(...d.push(wire.subarray(i, i + 3)));
      expect(out.map((b) => b.length)).toEqual([1, 0, 300]);
      expect(d.pending).toBe(0);
    }
  });

  it('refuses an oversized frame from its header alone', () => {
    const d = new FrameDecoder(8, 100);
    const head = Buffer.alloc(8);
    head.writeBigUInt64BE(2n ** 40n);
    expect(() => d.push(head)).toThrow(FrameTooLargeError);
  });
});

describe('framed receivers', () => {
  it('a Kata-style u64 sender on a unix socket, and a u64 sender on hybrid vsock, both reach the pipeline', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'skein-framed-'));
    dirs.push(dir);
    const got: Span[] = [];
    const next = { consume: async (s: Span[]) => void got.push(...s) };
    const ctx = { logger: pino({ level: 'silent' }), id: 'framed' };
    const framed = framedReceiverFactory.create({ endpoint: `unix:${dir}/f.sock`, headerBytes: 8 }, ctx, next);
    const vsock = hybridVsockReceiverFactory.create({ path: `${dir}/vm.sock:52`, headerBytes: 8 }, ctx, next);
    await framed.start!();
    await vsock.start!();
    try {
      const a = makeSpans(5, 1);
      const b = makeSpans(5, 2);
      for (const [sock, spans] of [[`${dir}/f.sock`, a], [hybridVsockSocketPath(`${dir}/vm.sock:52`), b]] as const) {
        const s = net.connect({ path: sock });
        await new Promise((r) => s.once('connect', r));
        s.end(encodeFrame(encodeOtlpProto(spans), 8));
      }
      await until(() => got.length === 10);
      expect(new Set(got.map((s) => s.spanId))).toEqual(new Set([...a, ...b].map((s) => s.spanId)));
    } finally {
      await framed.shutdown!();
      await vsock.shutdown!();
    }
    expect(hybridVsockSocketPath('/run/v.sock:1024')).toBe('/run/v.sock_1024');
    expect(() => hybridVsockSocketPath('/run/v.sock')).toThrow(/PATH:PORT/);
  });
});
