/**
 * Assembles receivers -> processors -> exporters and runs their lifecycle like the OpenTelemetry
 * Collector: exporters start first and receivers last; receivers stop first so data drains.
 */
import type { Span } from '@skein/model';
import type { Consumer, Exporter, Processor, Receiver } from './component.js';

/** Sends each batch to every exporter; it is durable only when all of them said so. */
export function fanOut(exporters: Consumer[]): Consumer {
  if (exporters.length === 1) return exporters[0]!;
  return { consume: async (spans: Span[]) => void (await Promise.all(exporters.map((e) => e.consume(spans)))) };
}

/** Observers see every batch that entered the pipeline (live tail, metrics); they cannot fail it. */
export type Observer = (spans: Span[]) => void;

export class Pipeline {
  private readonly observers = new Set<Observer>();
  readonly receivers: Receiver[] = [];
  /** The entry point receivers call. */
  readonly head: Consumer;

  readonly processors: Processor[] = [];

  /** Processors are given as makers, first to last, each wrapping the next stage. */
  constructor(
    makeProcessors: Array<(next: Consumer) => Processor>,
    readonly exporters: Exporter[],
  ) {
    let first = fanOut(exporters);
    for (let i = makeProcessors.length - 1; i >= 0; i--) {
      const p = makeProcessors[i]!(first);
      this.processors.unshift(p);
      first = p;
    }
    this.head = {
      consume: (spans) => {
        for (const o of this.observers) {
          try {
            o(spans);
          } catch {
            /* an observer must never fail ingest */
          }
        }
        return first.consume(spans);
      },
    };
    const undecoded = first.consumeOtlpProto?.bind(first);
    // Observers see spans, so while any is attached requests are decoded here.
    if (undecoded) this.head.consumeOtlpProto = (body) => (this.observers.size ? Promise.resolve(false) : undecoded(body));
  }

  observe(observer: Observer): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  async start(receivers: Receiver[]): Promise<void> {
    for (const e of this.exporters) await e.start?.();
    for (const p of [...this.processors].reverse()) await p.start?.();
    for (const r of receivers) {
      await r.start?.();
      this.receivers.push(r);
    }
  }

  async shutdown(): Promise<void> {
    await Promise.allSettled(this.receivers.map((r) => r.shutdown?.()));
    for (const p of this.processors) await p.shutdown?.();
    for (const e of this.exporters) await e.shutdown?.();
  }
}
