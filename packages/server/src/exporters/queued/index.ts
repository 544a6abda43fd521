/**
 * A remote backend as a pipeline exporter in `serve`: batches go to a bounded in-memory queue and
 * are sent in the background with retries, so a slow or dead backend never slows ingest. The
 * store is what makes `serve` durable; a backend that needs durability belongs behind
 * `skein forward` and its spool. A full queue drops its oldest batch, counted and logged once
 * per outage.
 */
import type { Span } from '@skein/model';
import type { Logger } from 'pino';
import type { Exporter } from '../../pipeline/component.js';
import { withRetry, type RetryingSender } from '../retry.js';
import type { Sender } from '../sender.js';

export interface QueuedExporterOptions {
  maxQueuedBatches?: number;
  logger: Logger;
}

export class QueuedExporter implements Exporter {
  private readonly queue: Span[][] = [];
  private readonly sender: RetryingSender;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();
  dropped = 0;
  private warned = false;

  constructor(
    sender: Sender,
    private readonly opts: QueuedExporterOptions,
  ) {
    this.sender = withRetry(sender, { maxElapsedMs: 60_000 });
  }

  async start(): Promise<void> {
    this.running = this.loop();
  }

  async consume(spans: Span[]): Promise<void> {
    if (this.queue.length >= (this.opts.maxQueuedBatches ?? 1000)) {
      this.dropped += this.queue.shift()!.length;
      if (!this.warned) {
        this.warned = true;
        this.opts.logger.warn({ exporter: this.sender.name }, 'export queue full: dropping the oldest batches until the backend catches up');
      }
    }
    this.queue.push(spans);
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      const batch = this.queue.shift();
      if (!batch) {
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        continue;
      }
      try {
        await this.sender.send(batch, this.abort.signal);
        this.warned = false;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        this.dropped += batch.length;
        this.opts.logger.warn({ exporter: this.sender.name, err: (err as Error).message, spans: batch.length }, 'export failed; batch dropped');
      }
    }
  }

  /** Gives queued batches a few seconds to go out, then stops. */
  async shutdown(): Promise<void> {
    const deadline = Date.now() + 5000;
    while (this.queue.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    this.abort.abort();
    this.wake?.();
    await this.running;
    await this.sender.close?.();
  }
}
