/** A bounded, non-blocking export queue: batches, one send in flight, drop counters, rate-limited warnings. */

import type { Resource } from '@skein/model';
import { encodeSpans } from './encode.js';
import type { SkeinSpan } from '../span.js';
import type { ByteExporter } from './exporter.js';

export interface QueueOptions {
  queueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  warnIntervalMs: number;
  warn: (message: string) => void;
}

export class ExportQueue {
  private buf: SkeinSpan[] = [];
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  private inflight: Promise<void> | null = null;
  private lastWarn = Number.NEGATIVE_INFINITY;
  /** After a failed send, batches are dropped until then (doubling back-off, reset by a success). */
  private downUntil = 0;
  private backoffMs = 500;
  /** Spans dropped because the queue was full. */
  dropped = 0;
  /** Spans acknowledged by the backend. */
  exported = 0;
  /** Spans lost because a send failed. */
  failed = 0;
  warnings = 0;

  constructor(
    private readonly exporter: ByteExporter | null,
    private readonly resource: Resource,
    private readonly o: QueueOptions,
  ) {}

  get length(): number {
    return this.buf.length;
  }

  push(s: SkeinSpan): void {
    const buf = this.buf;
    if (buf.length >= this.o.queueSize) {
      this.dropped++;
      return;
    }
    buf.push(s);
    if (buf.length >= this.o.batchSize) {
      if (!this.scheduled && this.inflight === null) {
        this.scheduled = true;
        setImmediate(this.tick);
      }
    } else if (this.timer === null) {
      this.timer = setTimeout(this.tick, this.o.flushIntervalMs);
      this.timer.unref();
    }
  }

  private readonly tick = (): void => {
    this.scheduled = false;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.inflight === null && this.buf.length > 0) void this.sendOne();
  };

  /** Converts and encodes one batch (bounded work per tick), sends it, then re-arms. */
  private sendOne(): Promise<void> {
    const n = Math.min(this.buf.length, this.o.batchSize);
    const batch = this.buf.length === n ? this.buf : this.buf.slice(0, n);
    this.buf = this.buf.length === n ? [] : this.buf.slice(n);
    const p = this.exportBatch(batch).finally(() => {
      this.inflight = null;
      if (this.buf.length >= this.o.batchSize) {
        this.scheduled = true;
        setImmediate(this.tick);
      } else if (this.buf.length > 0 && this.timer === null) {
        this.timer = setTimeout(this.tick, this.o.flushIntervalMs);
        this.timer.unref();
      }
    });
    this.inflight = p;
    return p;
  }

  private async exportBatch(batch: SkeinSpan[]): Promise<void> {
    if (this.exporter === null) return;
    // While the backend is known down, drop without encoding or connecting: no cost to the host.
    if (performance.now() < this.downUntil) {
      this.failed += batch.length;
      return;
    }
    try {
      await this.exporter.send(encodeSpans(batch, this.resource));
      this.exported += batch.length;
      this.backoffMs = 500;
    } catch (e) {
      this.failed += batch.length;
      this.downUntil = performance.now() + this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
      this.warnFailure(e, batch.length);
    }
  }

  private warnFailure(e: unknown, n: number): void {
    const now = performance.now();
    if (now - this.lastWarn < this.o.warnIntervalMs) return;
    this.lastWarn = now;
    this.warnings++;
    const why = e instanceof Error ? e.message : String(e);
    this.o.warn(
      `cannot export spans to ${this.exporter?.target}: ${why}; ${n} spans dropped. ` +
        `Tracing goes on; later failures are counted (skein_sdk_export_failed_spans_total) and warned about at most every ${Math.round(this.o.warnIntervalMs / 1000)} s.`,
    );
  }

  /** Sends everything queued now; resolves when done or when `deadlineMs` passes. */
  async flush(deadlineMs = Number.POSITIVE_INFINITY): Promise<void> {
    const until = performance.now() + deadlineMs;
    const work = (async () => {
      while (this.inflight !== null || this.buf.length > 0) {
        if (this.inflight !== null) await this.inflight;
        else await this.sendOne();
        if (performance.now() > until) return;
      }
    })();
    if (!Number.isFinite(deadlineMs)) return work;
    let t: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise<void>((r) => (t = setTimeout(r, Math.max(0, until - performance.now()))))]);
    clearTimeout(t);
  }

  /** Takes everything queued as encoded requests (for the synchronous send at 'exit'). */
  takeEncoded(): Uint8Array[] {
    const out: Uint8Array[] = [];
    while (this.buf.length > 0) {
      const batch = this.buf.splice(0, this.o.batchSize);
      out.push(encodeSpans(batch, this.resource));
    }
    return out;
  }

  counters(): Record<string, number> {
    return {
      skein_sdk_spans_queued: this.buf.length,
      skein_sdk_spans_dropped_total: this.dropped,
      skein_sdk_spans_exported_total: this.exported,
      skein_sdk_export_failed_spans_total: this.failed,
    };
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    await this.exporter?.close();
  }
}
