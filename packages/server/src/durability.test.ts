/**
 * DESIGN.md's ingest contract: a 2xx means the spans survive kill -9 of the server the next
 * moment. Senders post to a real `skein serve` child on a DuckDB file; the child is killed at a
 * random moment; a restart on the same data directory must hold every acknowledged span.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOtlpProto } from '@skein/model';
import { DuckDbStore } from './store/duckdb/index.js';
import { startServeChild } from './test-support/child.js';
import { makeSpan } from './test-support/spans.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const off = { otlpGrpc: 'off', zipkin: 'off', jaegerHttp: 'off', jaegerCompact: 'off', jaegerBinary: 'off', datadog: 'off' };

describe('kill -9 during ingest', () => {
  it.each([1, 2, 3])('keeps every acknowledged span (round %i)', async (round) => {
    const dir = await mkdtemp(join(tmpdir(), 'skein-kill9-'));
    dirs.push(dir);
    const { child, addresses } = await startServeChild({ data: dir, http: '127.0.0.1:0', otlpHttp: '127.0.0.1:0', ...off });
    const acked = new Set<string>();
    let stop = false;
    const sender = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const traceId = makeSpan().traceId;
        const spans = Array.from({ length: 50 }, () => makeSpan({ traceId, name: `r${round}-s${n}` }));
        try {
          const res = await fetch(`http://${addresses.otlpHttp}/v1/traces`, {
            method: 'POST',
            body: encodeOtlpProto(spans),
            headers: { 'content-type': 'application/x-protobuf' },
          });
          if (res.status === 200) for (const s of spans) acked.add(`${s.traceId}/${s.spanId}`);
        } catch {
          return; // the server is gone
        }
      }
    };
    const senders = [0, 1, 2, 3].map(sender);
    // Kill at a random moment once ingest is flowing (the first acks prove the server is hot).
    while (acked.size < 100) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, Math.random() * 800));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    stop = true;
    await Promise.all(senders);
    expect(acked.size).toBeGreaterThan(0);

    const store = await DuckDbStore.open({ path: join(dir, 'skein.duckdb') });
    try {
      const missing: string[] = [];
      const byTrace = new Map<string, string[]>();
      for (const key of acked) {
        const [t, s] = key.split('/') as [string, string];
        byTrace.set(t, [...(byTrace.get(t) ?? []), s]);
      }
      for (const [traceId, spanIds] of byTrace) {
        const stored = new Set((await store.getTrace(traceId)).map((s) => s.spanId));
        for (const id of spanIds) if (!stored.has(id)) missing.push(`${traceId}/${id}`);
      }
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
