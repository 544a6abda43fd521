import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeOtlpProto } from '@skein/model';
import { afterAll, describe, expect, it } from 'vitest';
import { postOtlp, spawnForward, type ForwardChild } from './test-support/process.js';
import { Sink, freePort, makeSpans } from './test-support/sink.js';

const children: ForwardChild[] = [];
let dir: string | undefined;
let sink: Sink | undefined;
afterAll(async () => {
  for (const c of children) c.child.kill('SIGKILL');
  await sink?.down();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('skein forward under kill -9', () => {
  it('delivers every acknowledged span after kill -9 at random moments and a restart on the same spool', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'skein-kill9-'));
    sink = new Sink(await freePort());
    const args = { otlpHttp: '127.0.0.1:0', otlpGrpc: 'off', spool: path.join(dir, 'spool'), to: [sink.url] };
    const acked: string[] = [];
    let tag = 0;
    let refusedOrLost = 0;
    for (let round = 0; round < 2; round++) {
      const fc = await spawnForward(args);
      children.push(fc);
      const address = fc.addresses.otlpHttp!;
      let stop = false;
      const sender = async () => {
        while (!stop) {
          const spans = makeSpans(20, tag++);
          const status = await postOtlp(address, encodeOtlpProto(spans));
          if (status === 200) acked.push(...spans.map((s) => s.spanId));
          else refusedOrLost++;
        }
      };
      const senders = [sender(), sender(), sender()];
      // the destination is down the whole time: everything acknowledged lives only in the spool
      const before = acked.length;
      while (acked.length < before + 60) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      fc.child.kill('SIGKILL');
      await fc.exited;
      stop = true;
      await Promise.all(senders);
    }
    expect(acked.length).toBeGreaterThanOrEqual(120);
    expect(refusedOrLost).toBeGreaterThan(0); // requests in flight at the kill were not acknowledged
    await sink.up();
    const fc = await spawnForward(args);
    children.push(fc);
    await sink.waitFor(acked, 15_000);
    expect(sink.spanIds.size).toBeGreaterThanOrEqual(acked.length);
    fc.child.kill('SIGTERM');
    expect(await fc.exited).toBe(0);
  });
});
