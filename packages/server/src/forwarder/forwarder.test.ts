import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { senderFromUrl } from '../exporters/registry.js';
import { Forwarder, type DestinationSpec } from './forwarder.js';
import { Sink, freePort, makeSpans, until } from './test-support/sink.js';

const logger = pino({ level: 'silent' });
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function setup(spoolOpts: { maxBytes?: number } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'skein-fwd-'));
  const fwd = await Forwarder.open({
    spool: { dir, maxBytes: spoolOpts.maxBytes ?? 64 << 20 },
    logger,
    retry: { initialIntervalMs: 20, maxIntervalMs: 200 },
  });
  cleanups.push(() => rm(dir, { recursive: true, force: true }), () => fwd.close());
  return fwd;
}

async function sinks(n: number): Promise<Sink[]> {
  const out: Sink[] = [];
  for (let i = 0; i < n; i++) {
    const s = new Sink(await freePort());
    cleanups.push(() => s.down());
    out.push(s);
  }
  return out;
}

const spec = (url: string, group?: string): DestinationSpec => ({ name: url, url, group, createSender: () => senderFromUrl(url) });

describe('Forwarder', () => {
  it('acknowledges while every destination is down, and delivers everything once they come up', async () => {
    const fwd = await setup();
    const [a, b] = await sinks(2);
    await fwd.setDestinations([spec(a!.url), spec(b!.url)], 'head');
    const ids: string[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) {
      const spans = makeSpans(50, i);
      ids.push(...spans.map((s) => s.spanId));
      await fwd.consume(spans);
    }
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(a!.received + b!.received).toBe(0);
    await a!.up();
    await b!.up();
    await Promise.all([a!.waitFor(ids), b!.waitFor(ids)]);
    const stats = [...fwd.destinations.values()].map((e) => e.delivery.stats);
    await until(() => stats.every((s) => s.sentSpans >= 1000));
    expect(stats.every((s) => s.sentSpans >= 1000 && s.failedAttempts > 0)).toBe(true);
  });

  it('a destination answering 500 then 429 delays no other, then catches up', async () => {
    const fwd = await setup();
    const [good, bad] = await sinks(2);
    await good!.up();
    await bad!.up();
    bad!.failWith = 500;
    await fwd.setDestinations([spec(good!.url), spec(bad!.url)], 'head');
    const spans = makeSpans(200, 100);
    const ids = spans.map((s) => s.spanId);
    const t0 = Date.now();
    await fwd.consume(spans);
    await good!.waitFor(ids, 3000);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(bad!.received).toBe(0);
    bad!.failWith = 429;
    await new Promise((r) => setTimeout(r, 100));
    expect(bad!.received).toBe(0);
    bad!.failWith = undefined;
    await bad!.waitFor(ids);
    const badStats = fwd.destinations.get(bad!.url)!.delivery.stats;
    expect(badStats.failedAttempts).toBeGreaterThan(1);
    const cursor = fwd.destinations.get(bad!.url)!.delivery.cursor;
    await until(() => fwd.spool.lag(cursor).spans === 0, 5000, 'lag 0');
  });

  it('a slow destination delays no other', async () => {
    const fwd = await setup();
    const [fast, slow] = await sinks(2);
    await fast!.up();
    await slow!.up();
    slow!.delayMs = 1500;
    await fwd.setDestinations([spec(fast!.url), spec(slow!.url)], 'head');
    const spans = makeSpans(50, 150);
    const t0 = Date.now();
    await fwd.consume(spans);
    await fast!.waitFor(spans.map((s) => s.spanId), 3000);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(slow!.received).toBe(0);
    await slow!.waitFor(spans.map((s) => s.spanId), 5000);
  });

  it('drops a batch the destination refuses for good (400), counting it', async () => {
    const fwd = await setup();
    const [s] = await sinks(1);
    await s!.up();
    s!.failWith = 400;
    await fwd.setDestinations([spec(s!.url)], 'head');
    await fwd.consume(makeSpans(10, 200));
    const d = fwd.destinations.get(s!.url)!.delivery;
    for (let i = 0; i < 100 && d.stats.droppedSpans === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(d.stats.droppedSpans).toBe(10);
    s!.failWith = undefined;
    const next = makeSpans(5, 201);
    await fwd.consume(next);
    await s!.waitFor(next.map((x) => x.spanId));
    expect(s!.received).toBe(5);
  });

  it('delivers to a JSONL file destination', async () => {
    const fwd = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'skein-fwd-file-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const url = `file:${dir}/spans.jsonl`;
    await fwd.setDestinations([spec(url)], 'head');
    await fwd.consume(makeSpans(7, 250));
    const d = fwd.destinations.get(url)!.delivery;
    await until(() => d.stats.sentSpans === 7);
    const lines = (await readFile(`${dir}/spans.jsonl`, 'utf8')).trim().split('\n');
    const ids = lines.flatMap((l) => (JSON.parse(l) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string }> }> }> }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((x) => x.spans.map((sp) => sp.spanId))));
    expect(ids.length).toBe(7);
  });

  it('routes each trace to one member of a consistent-hash group', async () => {
    const fwd = await setup();
    const [a, b] = await sinks(2);
    await a!.up();
    await b!.up();
    await fwd.setDestinations([spec(a!.url, 'otlp-http'), spec(b!.url, 'otlp-http')], 'head');
    const spans = makeSpans(400, 300, 100);
    await fwd.consume(spans);
    const all = spans.map((s) => s.spanId);
    for (let i = 0; i < 200 && a!.received + b!.received < 400; i++) await new Promise((r) => setTimeout(r, 20));
    expect(a!.received + b!.received).toBe(400);
    expect(a!.received).toBeGreaterThan(0);
    expect(b!.received).toBeGreaterThan(0);
    expect(all.every((id) => a!.spanIds.has(id) !== b!.spanIds.has(id))).toBe(true);
    // every span of one trace went to the same place
    const tracesA = new Set(spans.filter((s) => a!.spanIds.has(s.spanId)).map((s) => s.traceId));
    expect(spans.filter((s) => b!.spanIds.has(s.spanId)).some((s) => tracesA.has(s.traceId))).toBe(false);
  });

  it('adds and removes destinations while spans flow, losing none', async () => {
    const fwd = await setup();
    const [a, b] = await sinks(2);
    await a!.up();
    await b!.up();
    await fwd.setDestinations([spec(a!.url)], 'head');
    const ids: string[] = [];
    const laterIds: string[] = [];
    let reconfigured = false;
    const sending = (async () => {
      for (let i = 0; i < 40; i++) {
        const spans = makeSpans(20, 400 + i);
        const after = reconfigured;
        await fwd.consume(spans);
        ids.push(...spans.map((s) => s.spanId));
        if (after) laterIds.push(...spans.map((s) => s.spanId));
        await new Promise((r) => setImmediate(r));
      }
    })();
    await new Promise((r) => setTimeout(r, 5));
    await fwd.setDestinations([spec(a!.url), spec(b!.url)], 'tail');
    reconfigured = true;
    await sending;
    await a!.waitFor(ids);
    await b!.waitFor(laterIds);
    expect(laterIds.length).toBeGreaterThan(0);
    await fwd.setDestinations([spec(b!.url)], 'tail');
    expect(fwd.destinations.size).toBe(1);
    const last = makeSpans(10, 499);
    await fwd.consume(last);
    await b!.waitFor(last.map((s) => s.spanId));
  });
});
