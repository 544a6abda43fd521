/** Test support for receivers: a MemoryStore-backed consumer whose tests can await N spans. */
import { pino } from 'pino';
import type { Span } from '@skein/model';
import { MemoryStore } from '../../store/memory/index.js';
import type { ComponentContext, Consumer } from '../../pipeline/component.js';

export class Collector implements Consumer {
  readonly store = new MemoryStore();
  readonly spans: Span[] = [];
  /** When set, consume rejects with it (to test error answers). */
  failWith: Error | undefined;
  private waiters: { n: number; resolve: () => void }[] = [];

  async consume(spans: Span[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    await this.store.write(spans);
    this.spans.push(...spans);
    this.waiters = this.waiters.filter((w) => (this.spans.length >= w.n ? (w.resolve(), false) : true));
  }

  /** Resolves once at least `n` spans arrived in total (rejects after `ms`). */
  waitFor(n: number, ms = 10_000): Promise<Span[]> {
    if (this.spans.length >= n) return Promise.resolve(this.spans);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.spans.length} of ${n} spans arrived in ${ms} ms`)), ms);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve(this.spans)) });
    });
  }
}

export const testContext = (id: string): ComponentContext => ({ id, logger: pino({ level: 'silent' }) });

export const attrOf = (s: Span, key: string) => s.attributes.find((a) => a.key === key)?.value;
export const serviceOf = (s: Span) => s.resource.attributes.find((a) => a.key === 'service.name')?.value;
