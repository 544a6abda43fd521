/**
 * The durable spool: an append-only log of checksummed records in rotating segment files.
 * `append` resolves only once the record is written (and fsynced, per policy); each destination
 * reads at its own cursor, so a dead destination holds no other back; the log is bounded and,
 * when full, drops its oldest segment or refuses new data (503), as configured.
 */
import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import { lockDirectory, type DirLock } from './dir-lock.js';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { OverloadedError } from '../../pipeline/errors.js';
import { Cursor, comparePositions, cursorFile, loadPosition, type Position } from './cursor.js';
import { HEADER_BYTES, encodeRecord, parseRecord, type SpoolRecord } from './record.js';
import { SegmentIndex, parseSegmentName, scanSegment, segmentName } from './segment.js';
import { SpoolWriter, type FsyncPolicy } from './writer.js';
import { lagFrom, newSpoolCounters, type SpoolCounters } from './stats.js';

export type { SpoolCounters } from './stats.js';

export type FullPolicy = 'drop-oldest' | 'refuse';

export interface SpoolOptions {
  dir: string;
  /** Upper bound of the bytes on disk (approximately: plus at most one segment). */
  maxBytes: number;
  /** Rotate the active segment past this size; default min(8 MiB, maxBytes / 4). */
  segmentBytes?: number;
  fsync?: FsyncPolicy;
  whenFull?: FullPolicy;
  logger?: Logger;
}

export class Spool {
  readonly segments: SegmentIndex[] = [];
  readonly counters: SpoolCounters = newSpoolCounters();
  private readonly cursors = new Map<string, Cursor>();
  private readonly readers = new Map<number, Promise<FileHandle>>();
  private readonly waiters = new Set<() => void>();
  private readonly persistTimer: NodeJS.Timeout;
  private writer!: SpoolWriter;
  private totalBytes = 0;
  private readonly maxBody: number;
  readonly segmentBytes: number;

  private constructor(
    readonly opts: SpoolOptions,
    private readonly lock: DirLock,
  ) {
    this.segmentBytes = opts.segmentBytes ?? Math.max(64 * 1024, Math.min(8 << 20, Math.floor(opts.maxBytes / 4)));
    this.maxBody = Math.max(opts.maxBytes, 64 << 20);
    this.persistTimer = setInterval(() => void this.persistCursors(), 250);
    this.persistTimer.unref();
  }

  /** Opens (or creates) the spool in `dir`, cutting any torn tail left by a crash. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    if (!(opts.maxBytes > 0)) throw new Error(`spool: max size must be positive, got ${opts.maxBytes}`);
    await mkdir(path.join(opts.dir, 'cursors'), { recursive: true });
    const lock = await lockDirectory(opts.dir);
    const spool = new Spool(opts, lock);
    const ids = (await readdir(opts.dir)).map(parseSegmentName).filter((x): x is number => x !== undefined);
    ids.sort((a, b) => a - b);
    for (const id of ids) {
      const { index, cut } = await scanSegment(opts.dir, id, spool.maxBody);
      if (cut) {
        spool.counters.cutBytes += cut.bytes;
        opts.logger?.warn({ segment: index.file, at: cut.at, bytes: cut.bytes, reason: cut.reason }, 'spool: cut a torn tail');
      }
      if (index.size === 0) {
        // Left by a start with no traffic; a cursor naming it moves on to the next segment.
        await unlink(index.file).catch(() => undefined);
        continue;
      }
      spool.segments.push(index);
      spool.totalBytes += index.size;
    }
    // A new segment on every start: the last one may have been cut, so it stays read-only.
    const next = (ids[ids.length - 1] ?? 0) + 1;
    const file = path.join(opts.dir, segmentName(next));
    const fh = await open(file, 'w');
    const active = new SegmentIndex(next, file);
    spool.segments.push(active);
    spool.writer = new SpoolWriter(spool, fh, active, opts.fsync ?? 'batch', opts.logger);
    return spool;
  }

  get active(): SegmentIndex {
    return this.segments[this.segments.length - 1]!;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** False while the disk is failing (appends answer 503 at once). */
  get healthy(): boolean {
    return this.writer.healthy;
  }

  /**
   * Appends one batch. Resolves once it is on disk per the fsync policy; rejects with
   * OverloadedError ('unavailable', i.e. 503) when the spool is full under `refuse` or the disk fails.
   */
  append(payload: Uint8Array, spans: number): Promise<void> {
    const rec = encodeRecord(payload, spans, Date.now());
    this.writer.checkHealthy(spans);
    if (this.totalBytes + this.writer.pendingBytes + rec.length > this.opts.maxBytes) this.makeRoom(rec.length, spans);
    return this.writer.enqueue(rec, spans);
  }

  private makeRoom(need: number, spans: number): void {
    const over = () => this.totalBytes + this.writer.pendingBytes + need > this.opts.maxBytes;
    if ((this.opts.whenFull ?? 'drop-oldest') === 'refuse') {
      this.counters.refusedSpans += spans;
      throw new OverloadedError(`spool full (${this.totalBytes} of ${this.opts.maxBytes} bytes): retry later`, 1, 'unavailable');
    }
    while (over() && this.segments.length > 1) this.dropOldest();
    // Only the active segment is left: let it roll over so the next append can drop it.
    if (over()) this.writer.requestRotate();
  }

  private dropOldest(): void {
    const seg = this.segments.shift()!;
    const next = this.segments[0]!;
    let lost = this.cursors.size === 0 ? seg.spans : 0;
    for (const c of this.cursors.values()) {
      if (c.pos.seg > seg.id) continue;
      const n = seg.spansFrom(c.pos.off);
      c.droppedSpans += n;
      lost = Math.max(lost, n);
      c.pos = { seg: next.id, off: 0 };
      c.dirty = true;
    }
    this.counters.droppedSpans += lost;
    this.counters.droppedSegments++;
    this.opts.logger?.warn({ segment: seg.file, spans: lost, bytes: seg.size }, 'spool full: dropped the oldest segment');
    this.deleteSegment(seg);
  }

  private deleteSegment(seg: SegmentIndex): void {
    this.totalBytes -= seg.size;
    const reader = this.readers.get(seg.id);
    this.readers.delete(seg.id);
    void (async () => {
      await reader?.then((fh) => fh.close()).catch(() => undefined);
      await unlink(seg.file).catch(() => undefined);
    })();
  }

  /** Called by the writer once records are on disk. */
  committed(bytes: number, spans: number, batches: number): void {
    this.totalBytes += bytes;
    this.counters.appendedSpans += spans;
    this.counters.appendedBatches += batches;
    this.notify();
  }

  /** Called by the writer after a rotation. */
  rotated(next: SegmentIndex): void {
    this.segments.push(next);
    this.notify();
    this.gc();
  }

  notify(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  /** Opens a destination's cursor: its persisted position, else the oldest record ('head') or the end ('tail'). */
  async openCursor(id: string, label: string, start: 'head' | 'tail'): Promise<Cursor> {
    const existing = this.cursors.get(id);
    if (existing) return existing;
    const file = cursorFile(this.opts.dir, id);
    const saved = await loadPosition(file);
    const head = { seg: this.segments[0]!.id, off: 0 };
    const pos = saved ?? (start === 'head' ? head : { seg: this.active.id, off: this.active.size });
    const cursor = new Cursor(id, file, comparePositions(pos, head) < 0 ? head : pos, label);
    cursor.dirty = true;
    this.cursors.set(id, cursor);
    return cursor;
  }

  /** Forgets a destination; its retained data may now be collected. */
  async removeCursor(id: string): Promise<void> {
    const c = this.cursors.get(id);
    if (!c) return;
    this.cursors.delete(id);
    while (this.persisting) await this.persisting;
    await c.remove();
    this.gc();
  }

  /** Moves a cursor after a delivered batch, collecting segments every cursor has passed. */
  advance(cursor: Cursor, next: Position): void {
    const seg = cursor.pos.seg;
    if (cursor.advance(next) && next.seg !== seg) this.gc();
  }

  private gc(): void {
    if (this.cursors.size === 0) return;
    let min = Infinity;
    for (const c of this.cursors.values()) min = Math.min(min, c.pos.seg);
    while (this.segments.length > 1 && this.segments[0]!.id < min) this.deleteSegment(this.segments.shift()!);
  }

  /** Skips segments that were dropped or fully read, so the position names the next record. */
  normalize(pos: Position): Position {
    let i = this.segments.findIndex((s) => s.id >= pos.seg);
    if (i < 0) return { seg: this.active.id, off: this.active.size };
    let off = this.segments[i]!.id === pos.seg ? pos.off : 0;
    while (i < this.segments.length - 1 && off >= this.segments[i]!.size) {
      i++;
      off = 0;
    }
    return { seg: this.segments[i]!.id, off };
  }

  /** Reads whole committed records from `pos`, about `maxBytes` of them (at least one if any). */
  async read(from: Position, maxBytes: number): Promise<{ records: SpoolRecord[]; next: Position }> {
    const pos = this.normalize(from);
    const seg = this.segments.find((s) => s.id === pos.seg)!;
    if (pos.off >= seg.size) return { records: [], next: pos };
    const end = Math.min(seg.size, pos.off + maxBytes);
    let len = end - pos.off;
    if (len < HEADER_BYTES + 12) len = Math.min(seg.size - pos.off, 1 << 16);
    let fhp = this.readers.get(seg.id);
    if (!fhp) {
      fhp = open(seg.file, 'r');
      this.readers.set(seg.id, fhp);
    }
    const fh = await fhp;
    let buf = Buffer.allocUnsafe(len);
    const { bytesRead } = await fh.read(buf, 0, len, pos.off);
    buf = buf.subarray(0, bytesRead);
    const records: SpoolRecord[] = [];
    let off = 0;
    while (off < buf.length) {
      const p = parseRecord(buf, off, this.maxBody);
      if (p.kind === 'record') {
        records.push(p.record);
        off = p.next;
        continue;
      }
      if (p.kind === 'short' && records.length === 0) {
        // The first record is bigger than the window: read exactly it.
        buf = Buffer.allocUnsafe(p.need);
        await fh.read(buf, 0, p.need, pos.off);
        continue;
      }
      if (p.kind === 'corrupt') {
        // Committed data should never be corrupt; if the disk lied, skip the rest of the segment.
        this.opts.logger?.error({ segment: seg.file, at: pos.off + off, reason: p.reason }, 'spool: corrupt record, skipping the rest of the segment');
        return { records, next: { seg: seg.id, off: seg.size } };
      }
      break;
    }
    return { records, next: { seg: seg.id, off: pos.off + off } };
  }

  /** Resolves when data exists beyond `pos` (or on abort). */
  waitForData(pos: Position, signal?: AbortSignal): Promise<void> {
    const n = this.normalize(pos);
    if (n.off < this.segments.find((s) => s.id === n.seg)!.size) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Spans accepted but not yet delivered to this cursor, and the age of the oldest of them. */
  lag(cursor: Cursor): { spans: number; seconds: number } {
    return lagFrom(this.segments, this.normalize(cursor.pos));
  }

  private persisting: Promise<void> | undefined;

  /** Saves moved cursors; one pass at a time, so two writers never race on one temp file. */
  async persistCursors(): Promise<void> {
    while (this.persisting) await this.persisting;
    this.persisting = (async () => {
      for (const c of this.cursors.values()) {
        await c.persist().catch((err: Error) => this.opts.logger?.warn({ err: err.message }, 'spool: could not save a cursor'));
      }
    })();
    await this.persisting;
    this.persisting = undefined;
  }

  async close(): Promise<void> {
    clearInterval(this.persistTimer);
    await this.writer.close();
    await this.persistCursors();
    for (const fhp of this.readers.values()) await fhp.then((fh) => fh.close()).catch(() => undefined);
    this.readers.clear();
    await this.lock.release();
    this.notify();
  }
}
