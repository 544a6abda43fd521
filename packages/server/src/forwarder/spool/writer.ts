/**
 * The spool's single writer: group commit (every append queued while a write is in flight goes
 * into the next write), fsync per batch or on a timer, segment rotation, and the failed-disk state
 * in which appends are refused at once instead of hanging.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { OverloadedError } from '../../pipeline/errors.js';
import { SegmentIndex, segmentName } from './segment.js';
import type { Spool } from './spool.js';

/** 'batch': fsync before acknowledging each write; { intervalMs }: acknowledge once written, fsync on a timer. */
export type FsyncPolicy = 'batch' | { intervalMs: number };

interface Pending {
  rec: Buffer;
  spans: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** How long the spool answers 503 after a disk error before it tries the disk again. */
const FAILED_BACKOFF_MS = 1000;

export class SpoolWriter {
  private pending: Pending[] = [];
  pendingBytes = 0;
  private flushing = false;
  private rotateRequested = false;
  private dirty = false;
  private failure: string | undefined;
  private failedUntil = 0;
  private readonly timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly spool: Spool,
    private fh: FileHandle,
    private seg: SegmentIndex,
    private readonly fsync: FsyncPolicy,
    private readonly logger?: Logger,
  ) {
    if (fsync !== 'batch') {
      this.timer = setInterval(() => void this.syncNow(), Math.max(1, fsync.intervalMs));
      this.timer.unref();
    }
  }

  get healthy(): boolean {
    return this.failure === undefined || Date.now() >= this.failedUntil;
  }

  /** Throws the 503 at once while the disk is known to be failing. */
  checkHealthy(spans: number): void {
    if (this.closed) throw new OverloadedError('forwarder is shutting down', 1, 'unavailable');
    if (this.failure !== undefined && Date.now() < this.failedUntil) {
      this.spool.counters.refusedSpans += spans;
      throw new OverloadedError(`spool disk failed (${this.failure}): retry later`, 1, 'unavailable');
    }
  }

  requestRotate(): void {
    this.rotateRequested = true;
  }

  enqueue(rec: Buffer, spans: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rec, spans, resolve, reject });
      this.pendingBytes += rec.length;
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        let batch: Pending[] = [];
        try {
          if (this.rotateRequested || this.seg.size >= this.spool.segmentBytes || this.failure !== undefined) await this.rotate();
          // One write per group, cut where the segment fills, so segments stay near their size.
          let n = 0;
          let bytes = this.seg.size;
          while (n < this.pending.length && (n === 0 || bytes < this.spool.segmentBytes)) bytes += this.pending[n++]!.rec.length;
          batch = this.pending.splice(0, n);
          const buf = batch.length === 1 ? batch[0]!.rec : Buffer.concat(batch.map((b) => b.rec));
          let written = 0;
          while (written < buf.length) {
            const r = await this.fh.write(buf, written, buf.length - written, this.seg.size + written);
            written += r.bytesWritten;
          }
          if (this.fsync === 'batch') await this.fh.datasync();
          else this.dirty = true;
          let off = this.seg.size;
          let spans = 0;
          const now = Date.now();
          for (const b of batch) {
            this.seg.add(off, b.rec.length, b.spans, now);
            off += b.rec.length;
            spans += b.spans;
          }
          this.pendingBytes -= buf.length;
          this.failure = undefined;
          this.spool.committed(buf.length, spans, batch.length);
          for (const b of batch) b.resolve();
        } catch (err) {
          this.fail(err as Error);
          if (batch.length === 0) batch = this.pending.splice(0);
          for (const b of batch) {
            this.pendingBytes -= b.rec.length;
            this.spool.counters.refusedSpans += b.spans;
            b.reject(new OverloadedError(`spool disk failed (${this.failure}): retry later`, 1, 'unavailable'));
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private fail(err: Error): void {
    this.spool.counters.diskErrors++;
    this.failure = (err as NodeJS.ErrnoException).code ?? err.message;
    this.failedUntil = Date.now() + FAILED_BACKOFF_MS;
    this.logger?.error({ err: err.message, segment: this.seg.file }, 'spool: disk write failed; answering 503 until it works again');
    // Whatever half-write happened stays beyond seg.size, which readers never pass; the next
    // write goes to a fresh segment.
    this.rotateRequested = true;
  }

  private async rotate(): Promise<void> {
    const old = this.fh;
    const oldSeg = this.seg;
    const id = oldSeg.id + 1;
    const file = path.join(path.dirname(oldSeg.file), segmentName(id));
    const fh = await open(file, 'w');
    this.fh = fh;
    this.seg = new SegmentIndex(id, file);
    this.rotateRequested = false;
    await old.truncate(oldSeg.size).catch(() => undefined);
    await old.datasync().catch(() => undefined);
    await old.close().catch(() => undefined);
    this.spool.rotated(this.seg);
  }

  private async syncNow(): Promise<void> {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    try {
      await this.fh.datasync();
    } catch (err) {
      this.fail(err as Error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    while (this.flushing) await new Promise((r) => setImmediate(r));
    await this.fh.datasync().catch(() => undefined);
    await this.fh.close().catch(() => undefined);
  }
}
