/**
 * Refuses new spans while the pipeline holds too much: too many spans accepted but not yet
 * durable, or a heap over the limit. Refusals are OverloadedError, which receivers answer with
 * 429 + Retry-After (RESOURCE_EXHAUSTED), so senders back off instead of the process dying.
 */
import type { Span } from '@skein/model';
import type { Consumer, Processor, ProcessorFactory } from '../../pipeline/component.js';
import { OverloadedError } from '../../pipeline/errors.js';

export interface MemoryLimiterConfig {
  /** Heap bytes above which new data is refused; 0 disables the heap check. */
  limitBytes: number;
  /** Spans accepted but not yet acknowledged downstream. */
  maxInFlightSpans: number;
  checkIntervalMs: number;
}

export class MemoryLimiter implements Processor {
  private inFlight = 0;
  private heapUsed = 0;
  private timer: NodeJS.Timeout | undefined;
  refused = 0;

  /** Over a limit it answers false, and consume() then refuses the decoded spans as usual. */
  readonly consumeOtlpProto: ((body: Uint8Array) => Promise<boolean>) | undefined;

  constructor(
    private readonly config: MemoryLimiterConfig,
    private readonly next: Consumer,
  ) {
    const undecoded = next.consumeOtlpProto?.bind(next);
    if (undecoded) this.consumeOtlpProto = (body) => this.admitUndecoded(body, undecoded);
  }

  /** The spans in a request are not counted yet: an OTLP span takes at least ~100 bytes, so this overestimates. */
  private async admitUndecoded(body: Uint8Array, undecoded: (body: Uint8Array) => Promise<boolean>): Promise<boolean> {
    const spans = Math.ceil(body.length / 100);
    if (this.overLimit(spans)) return false;
    return this.carry(spans, () => undecoded(body));
  }

  async start(): Promise<void> {
    if (this.config.limitBytes <= 0) return;
    const sample = () => (this.heapUsed = process.memoryUsage().heapUsed);
    sample();
    this.timer = setInterval(sample, this.config.checkIntervalMs);
    this.timer.unref();
  }

  async consume(spans: Span[]): Promise<void> {
    const over = this.overLimit(spans.length);
    if (over) {
      this.refused += spans.length;
      throw new OverloadedError(over);
    }
    await this.carry(spans.length, () => this.next.consume(spans));
  }

  /** Why `spans` more would be refused, if they would. */
  private overLimit(spans: number): string | undefined {
    if (this.inFlight + spans > this.config.maxInFlightSpans && this.inFlight > 0) {
      return `pipeline is over its limit of ${this.config.maxInFlightSpans} spans in flight; retry later`;
    }
    if (this.config.limitBytes > 0 && this.heapUsed > this.config.limitBytes) {
      return `pipeline is over its memory limit of ${this.config.limitBytes >> 20} MiB; retry later`;
    }
    return undefined;
  }

  /** Counts `spans` in flight while `work` runs. */
  private async carry<T>(spans: number, work: () => Promise<T>): Promise<T> {
    this.inFlight += spans;
    try {
      return await work();
    } finally {
      this.inFlight -= spans;
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
  }
}

export const memoryLimiterFactory: ProcessorFactory<MemoryLimiterConfig> = {
  type: 'memory_limiter',
  createDefaultConfig: () => ({ limitBytes: 1536 * 1024 * 1024, maxInFlightSpans: 500_000, checkIntervalMs: 100 }),
  create: (config, _ctx, next) => new MemoryLimiter(config, next),
};
