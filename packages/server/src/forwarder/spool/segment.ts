/** Spool segments: file naming, the in-memory index of one segment, and the scan that cuts torn tails. */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { parseRecord } from './record.js';

export const SEGMENT_SUFFIX = '.seg';

export function segmentName(id: number): string {
  return String(id).padStart(16, '0') + SEGMENT_SUFFIX;
}

export function parseSegmentName(name: string): number | undefined {
  const m = /^(\d{16})\.seg$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** What the spool knows about one segment: where each record starts and how many spans precede it. */
export class SegmentIndex {
  /** Byte offset of each record. */
  readonly offsets: number[] = [];
  /** Spans in the records before record i (cumulative), plus the total at the end. */
  readonly spansBefore: number[] = [0];
  readonly acceptedAt: number[] = [];
  size = 0;

  constructor(
    readonly id: number,
    readonly file: string,
  ) {}

  get spans(): number {
    return this.spansBefore[this.spansBefore.length - 1]!;
  }

  add(offset: number, length: number, spans: number, acceptedAtMs: number): void {
    this.offsets.push(offset);
    this.acceptedAt.push(acceptedAtMs);
    this.spansBefore.push(this.spans + spans);
    this.size = offset + length;
  }

  /** Spans in records starting at or after `offset`. */
  spansFrom(offset: number): number {
    const i = this.recordAt(offset);
    return this.spans - this.spansBefore[i]!;
  }

  /** Accept time of the first record at or after `offset`, or undefined at the end. */
  acceptedAtFrom(offset: number): number | undefined {
    return this.acceptedAt[this.recordAt(offset)];
  }

  /** Index of the first record starting at or after offset (binary search). */
  private recordAt(offset: number): number {
    let lo = 0;
    let hi = this.offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export interface ScanResult {
  index: SegmentIndex;
  /** Set when a torn or corrupt tail was cut off. */
  cut?: { at: number; bytes: number; reason: string };
}

/**
 * Reads a segment from the start, indexing every valid record. At the first record that is cut
 * short or fails its checksum the file is truncated there: after a crash only the tail can be torn,
 * and anything after a bad record cannot be trusted to start at a record boundary.
 */
export async function scanSegment(dir: string, id: number, maxBody: number): Promise<ScanResult> {
  const file = path.join(dir, segmentName(id));
  const index = new SegmentIndex(id, file);
  const fh = await open(file, 'r+');
  try {
    const { size } = await fh.stat();
    const chunk = 1 << 20;
    let buf = Buffer.alloc(0);
    let bufStart = 0;
    let pos = 0;
    let reason = '';
    while (pos < size) {
      const parsed = parseRecord(buf, pos - bufStart, maxBody);
      if (parsed.kind === 'record') {
        const next = bufStart + parsed.next;
        index.add(pos, next - pos, parsed.record.spans, parsed.record.acceptedAtMs);
        pos = next;
        continue;
      }
      if (parsed.kind === 'corrupt') {
        reason = parsed.reason;
        break;
      }
      if (pos + parsed.need > size) {
        reason = `record of ${parsed.need} bytes runs past the end of the file`;
        break;
      }
      const want = Math.max(chunk, parsed.need);
      buf = Buffer.alloc(Math.min(want, size - pos));
      await fh.read(buf, 0, buf.length, pos);
      bufStart = pos;
    }
    if (pos < size) {
      await fh.truncate(pos);
      await fh.datasync();
      return { index, cut: { at: pos, bytes: size - pos, reason } };
    }
    return { index };
  } finally {
    await fh.close();
  }
}
