/**
 * ArrayBuffers that go back and forth between the event loop and the ingest worker (request
 * bodies one way, rows the other), kept for the next request instead of dropped. Each was a
 * fresh allocation per request on both threads (~0.6 MB per 1,000-span request), and V8 counts
 * such memory towards its next collection: the event loop ran a scavenge for "external memory
 * pressure" every ~200 ms under the ingest bench.
 */
const GRAIN = 64 * 1024;

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** Keeps at most `keep` buffers, none bigger than `maxBytes` (a rare huge request's go). */
  constructor(
    private readonly keep = 8,
    private readonly maxBytes = 4 * 1024 * 1024,
  ) {}

  /** A buffer of at least `size` bytes: a kept one if one is big enough, or a new one with room to spare. */
  take(size: number): ArrayBuffer {
    const free = this.free;
    for (let i = 0; i < free.length; i++) {
      const b = free[i]!;
      if (b.byteLength < size) continue;
      free[i] = free[free.length - 1]!;
      free.pop();
      return b;
    }
    return new ArrayBuffer(Math.ceil((size * 1.25) / GRAIN) * GRAIN);
  }

  /** Keeps `b` for a later take(); when full, in place of the smallest kept one if `b` is bigger. */
  give(b: ArrayBuffer): void {
    // A transferred buffer reads as empty here.
    if (b.byteLength === 0 || b.byteLength > this.maxBytes) return;
    const free = this.free;
    if (free.length < this.keep) {
      free.push(b);
      return;
    }
    let smallest = 0;
    for (let i = 1; i < free.length; i++) if (free[i]!.byteLength < free[smallest]!.byteLength) smallest = i;
    if (free[smallest]!.byteLength < b.byteLength) free[smallest] = b;
  }

  /** Takes every kept buffer out, to hand them to the other thread. */
  drain(): ArrayBuffer[] {
    return this.free.splice(0);
  }
}
