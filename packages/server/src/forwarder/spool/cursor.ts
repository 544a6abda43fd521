/** A destination's read position in the spool, persisted to `cursors/<id>.json` (atomic rename). */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Position {
  seg: number;
  off: number;
}

export function comparePositions(a: Position, b: Position): number {
  return a.seg !== b.seg ? a.seg - b.seg : a.off - b.off;
}

/**
 * The position is persisted lazily (the spool flushes dirty cursors every few hundred ms and on
 * close): delivery is at-least-once, so after a crash a destination may see a few batches again,
 * which the Skein store drops as exact duplicates.
 */
export class Cursor {
  dirty = false;
  /** Spans this destination lost because the spool was full and dropped their segment. */
  droppedSpans = 0;

  constructor(
    readonly id: string,
    readonly file: string,
    public pos: Position,
    readonly label: string,
  ) {}

  /** Moves forward to `next`; a position behind the current one (a stale in-flight batch) is ignored. */
  advance(next: Position): boolean {
    if (comparePositions(next, this.pos) <= 0) return false;
    this.pos = next;
    this.dirty = true;
    return true;
  }

  async persist(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify({ label: this.label, seg: this.pos.seg, off: this.pos.off }));
    await rename(tmp, this.file);
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

export function cursorFile(dir: string, id: string): string {
  return path.join(dir, 'cursors', `${id}.json`);
}

/** Reads a persisted position; undefined when there is none or it is unreadable (a torn write). */
export async function loadPosition(file: string): Promise<Position | undefined> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as { seg?: unknown; off?: unknown };
    if (typeof v.seg === 'number' && typeof v.off === 'number') return { seg: v.seg, off: v.off };
  } catch {
    // missing or torn: the caller starts from the oldest retained record (at-least-once)
  }
  return undefined;
}
