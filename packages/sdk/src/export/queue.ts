/**
 * A bounded, non-blocking export queue: spans are encoded as they end (small, even work on the
 * host's own tick instead of one long task per batch, and no ended span outlives its end() call),
 * batched per scope, sent one request at a time, with drop counters and rate-limited warnings.
 */

import type { Resource, Scope } from '@skein/model';
import type { SkeinSpan } from '../span.js';
import type { ProtoWriter } from '@skein/model';
import { giveSpool, ScopeBuffer, seal, takeSpool } from './batch.js';
import type { Sealed } from './batch.js';
import { resourceField } from './encode.js';
import type { ByteExporter } from './exporter.js';

export interface QueueOptions {
  queueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  warnIntervalMs: number;
  warn: (message: string) => void;
}

interface Batch extends Sealed {
  spans: number;
}

export class ExportQueue {
  /** Sealed requests waiting for their turn. */
  private ready: Batch[] = [];
  /** Scope buffers of the batch being filled, and their span count. */
  private filling: ScopeBuffer[] = [];
  private fillCount = 0;
  private readonly scopes = new Map<Scope, ScopeBuffer>();
  /** Sealed requests, in order; `ready` holds their offsets. Reset or compacted between sends. */
  private readonly spool: ProtoWriter = takeSpool();
  private closed = false;
  private readonly resourceBytes: Uint8Array;
  private lastScope: Scope | null = null;
  private lastBuffer: ScopeBuffer | null = null;
  /** Spans in `ready` and `filling` (not the one in flight). */
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  private inflight: Promise<void> | null = null;
  private lastWarn = Number.NEGATIVE_INFINITY;
  /** After a failed send, spans are dropped until then (doubling back-off, reset by a success). */
  private downUntil = 0;
  private down = false;
  private backoffMs = 500;
  /** Spans dropped because the queue was full (or could not be encoded). */
  dropped = 0;
  /** Spans acknowledged by the backend. */
  exported = 0;
  /** Spans lost because a send failed or the backend was known down. */
  failed = 0;
  warnings = 0;

  constructor(
    private readonly exporter: ByteExporter | null,
    resource: Resource,
    private readonly o: QueueOptions,
  ) {
    this.resourceBytes = resourceField(resource);
  }

  get length(): number {
    return this.queued;
  }

  push(s: SkeinSpan): void {
    if (this.exporter === null) return;
    if (this.closed) {
      this.dropped++;
      return;
    }
    // While the backend is known down, drop without encoding or connecting: no cost to the host.
    if (this.down) {
      if (performance.now() < this.downUntil) {
        this.failed++;
        return;
      }
      this.down = false;
    }
    if (this.queued >= this.o.queueSize) {
      this.dropped++;
      return;
    }
    const scope = s.owner.scope;
    let sb = this.lastBuffer;
    if (scope !== this.lastScope || sb === null) {
      sb = this.scopes.get(scope) ?? null;
      if (sb === null) this.scopes.set(scope, (sb = new ScopeBuffer(scope)));
      this.lastScope = scope;
      this.lastBuffer = sb;
    }
    try {
      sb.add(s);
    } catch {
      // A value the encoder cannot take must not fail the host's end() call.
      this.dropped++;
      return;
    }
    if (sb.count === 1) this.filling.push(sb);
    this.queued++;
    if (++this.fillCount >= this.o.batchSize) {
      this.sealFilling();
      if (!this.scheduled && this.inflight === null) {
        this.scheduled = true;
        setImmediate(this.tick);
      }
    } else if (this.timer === null) {
      this.timer = setTimeout(this.tick, this.o.flushIntervalMs);
      this.timer.unref();
    }
  }

  private sealFilling(): void {
    if (this.fillCount === 0) return;
    const sealed = seal(this.spool, this.resourceBytes, this.filling);
    this.ready.push({ start: sealed.start, end: sealed.end, spans: this.fillCount });
    this.filling = [];
    this.fillCount = 0;
  }

  private readonly tick = (): void => {
    this.scheduled = false;
    if (this.closed) return;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.inflight === null && this.queued > 0) void this.sendOne();
  };

  /** Sends the oldest batch (sealing the partial one if nothing else waits), then re-arms. */
  private sendOne(): Promise<void> {
    if (this.ready.length === 0) this.sealFilling();
    const batch = this.ready.shift();
    if (batch === undefined) return Promise.resolve();
    this.queued -= batch.spans;
    const p = this.exportBatch(this.spool.buf.subarray(batch.start, batch.end), batch.spans).finally(() => {
      this.inflight = null;
      if (this.closed) return;
      this.reclaim();
      if (this.ready.length > 0) {
        this.scheduled = true;
        setImmediate(this.tick);
      } else if (this.fillCount > 0 && this.timer === null) {
        this.timer = setTimeout(this.tick, this.o.flushIntervalMs);
        this.timer.unref();
      }
    });
    this.inflight = p;
    return p;
  }

  /**
   * With nothing in flight, the spool's bytes before the oldest waiting request are free: start
   * over when nothing waits, or move the waiting requests to the front once the free part is the
   * larger half (so a backlog costs a copy per halving, not per send).
   */
  private reclaim(): void {
    const ready = this.ready;
    if (ready.length === 0) {
      this.spool.reset();
      return;
    }
    const from = ready[0]!.start;
    if (from === 0 || from < this.spool.pos - from) return;
    this.spool.buf.copyWithin(0, from, this.spool.pos);
    this.spool.pos -= from;
    for (const b of ready) {
      b.start -= from;
      b.end -= from;
    }
  }

  private async exportBatch(body: Uint8Array, spans: number): Promise<void> {
    if (this.down && performance.now() < this.downUntil) {
      this.failed += spans;
      return;
    }
    try {
      await this.exporter!.send(body);
      this.exported += spans;
      this.backoffMs = 500;
    } catch (e) {
      this.failed += spans;
      this.down = true;
      this.downUntil = performance.now() + this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
      this.warnFailure(e, spans);
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
      while (this.inflight !== null || this.queued > 0) {
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
    this.sealFilling();
    // Copies: the spool is reused once these requests are no longer waiting.
    const out = this.ready.map((b) => this.spool.buf.slice(b.start, b.end));
    for (const b of this.ready) this.queued -= b.spans;
    this.ready = [];
    return out;
  }

  counters(): Record<string, number> {
    return {
      skein_sdk_spans_queued: this.queued,
      skein_sdk_spans_dropped_total: this.dropped,
      skein_sdk_spans_exported_total: this.exported,
      skein_sdk_export_failed_spans_total: this.failed,
    };
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    if (!this.closed) {
      this.closed = true;
      // What is still queued is dropped (shutdown flushed first); an unfinished send keeps its view.
      this.dropped += this.queued;
      this.queued = 0;
      this.ready = [];
      for (const sb of this.filling) {
        sb.w.reset();
        sb.count = 0;
      }
      this.filling = [];
      this.fillCount = 0;
      const spool = this.spool;
      if (this.inflight === null) giveSpool(spool);
      else void this.inflight.then(() => giveSpool(spool));
    }
    await this.exporter?.close();
  }
}
