/**
 * Batches spans from many requests into one downstream call (the pipeline's group commit):
 * each caller's promise settles with the batch that carried its spans, so a 2xx still means
 * durable. Flushes at sendBatchSize spans or after timeoutMs, whichever comes first; with
 * maxInFlight set, also as soon as fewer batches than that are in flight downstream, so a batch
 * grows only while the next stage is busy and an idle store is never kept waiting on a timer.
 */
import type { Span } from '@skein/model';
import type { Consumer, Processor, ProcessorFactory } from '../../pipeline/component.js';

export interface BatchConfig {
  sendBatchSize: number;
  timeoutMs: number;
  /** Batches allowed downstream at once before new spans wait to fill a batch. */
  maxInFlight?: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class BatchProcessor implements Processor {
  private spans: Span[] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly config: BatchConfig,
    private readonly next: Consumer,
  ) {
    this.consumeOtlpProto = next.consumeOtlpProto?.bind(next);
  }

  /** Passed through: the stage that takes requests undecoded groups concurrent ones itself. */
  readonly consumeOtlpProto: ((body: Uint8Array) => Promise<boolean>) | undefined;

  consume(spans: Span[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      for (let i = 0; i < spans.length; i++) this.spans.push(spans[i]!);
      this.waiters.push({ resolve, reject });
      if (this.spans.length >= this.config.sendBatchSize) this.flush();
      else if (this.hasRoom()) this.immediate ??= setImmediate(() => this.flush());
      else this.timer ??= setTimeout(() => this.flush(), this.config.timeoutMs);
    });
  }

  private hasRoom(): boolean {
    return this.config.maxInFlight !== undefined && this.inFlight.size < this.config.maxInFlight;
  }

  private flush(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.waiters.length === 0) return;
    const spans = this.spans;
    const waiters = this.waiters;
    this.spans = [];
    this.waiters = [];
    const p = this.next.consume(spans).then(
      () => waiters.forEach((w) => w.resolve()),
      (err: unknown) => waiters.forEach((w) => w.reject(err)),
    );
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      // Spans that waited for room go now rather than at their timeout.
      if (this.waiters.length && this.hasRoom()) this.flush();
    });
  }

  async shutdown(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }
}

export const batchProcessorFactory: ProcessorFactory<BatchConfig> = {
  type: 'batch',
  createDefaultConfig: () => ({ sendBatchSize: 8192, timeoutMs: 50 }),
  create: (config, _ctx, next) => new BatchProcessor(config, next),
};
