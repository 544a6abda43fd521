/** Test helpers for the forwarder: span factories and an OTLP/HTTP sink that can fail or go away. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Span } from '@skein/model';
import { testResource, testScope, testSpan } from '../../../../model/src/test-support/spans.js';
import { MemoryStore } from '../../store/memory/index.js';
import { createOtlpHttpHandler } from '../../receivers/otlp-http/handler.js';

// One Resource and Scope object for all spans, as a decoded batch would share them.
const resource = testResource('fwd-test');
const scope = testScope();

/** `n` spans; span ids are unique per (tag, i), trace ids spread over `traces` traces. */
export function makeSpans(n: number, tag: number, traces = Math.max(1, n >> 2)): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < n; i++) {
    const t = BigInt(1_700_000_000_000_000_000n) + BigInt(tag * 1_000_000 + i) * 1000n;
    out.push(
      testSpan({
        traceId: (tag * 7919 + (i % traces) + 1).toString(16).padStart(32, 'a'),
        spanId: (tag * 1_000_000 + i + 1).toString(16).padStart(16, '0'),
        name: `op-${i % 5}`,
        startTimeUnixNano: t,
        endTimeUnixNano: t + 500n,
        attributes: [{ key: 'i', value: BigInt(i) }],
        resource,
        scope,
      }),
    );
  }
  return out;
}

/** A free TCP port on 127.0.0.1 (listen on 0, then close). */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** An OTLP/HTTP backend on a fixed port that stores into a MemoryStore; it can be down, or answer errors. */
export class Sink {
  readonly store = new MemoryStore();
  readonly spanIds = new Set<string>();
  received = 0;
  requests = 0;
  /** When set, every request gets this status (and Retry-After: 0 for 429/503). */
  failWith: number | undefined;
  /** Delay before answering, ms. */
  delayMs = 0;
  private server: http.Server | undefined;
  private waiters: Array<() => void> = [];

  constructor(readonly port: number) {}

  get url(): string {
    return `otlp-http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const handle = createOtlpHttpHandler({
      consume: async (spans: Span[]) => {
        for (const s of spans) this.spanIds.add(s.spanId);
        this.received += spans.length;
        await this.store.write(spans);
        const ws = this.waiters;
        this.waiters = [];
        for (const w of ws) w();
      },
    });
    this.server = http.createServer((req, res) => {
      this.requests++;
      const go = () => {
        if (this.failWith !== undefined) {
          res.writeHead(this.failWith, this.failWith === 429 || this.failWith === 503 ? { 'retry-after': '0' } : {});
          res.end('failing on purpose');
          req.resume();
          return;
        }
        void handle(req, res);
      };
      if (this.delayMs > 0) setTimeout(go, this.delayMs);
      else go();
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  /** Resolves once every id in `ids` arrived, or rejects after `timeoutMs`. */
  async waitFor(ids: Iterable<string>, timeoutMs = 10_000): Promise<void> {
    const want = [...ids];
    const deadline = Date.now() + timeoutMs;
    while (want.some((id) => !this.spanIds.has(id))) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const missing = want.filter((id) => !this.spanIds.has(id)).length;
        throw new Error(`sink :${this.port}: ${missing} of ${want.length} spans missing after ${timeoutMs} ms`);
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

/** Polls `cond` until it holds (for counters updated just after a peer's answer). */
export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
