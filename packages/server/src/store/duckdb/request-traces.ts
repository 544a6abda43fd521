/**
 * The traces of one request as the ingest worker reads it (proto-rows.ts): each trace's id words,
 * key (span-keys.ts) and its spans' earliest and latest start, found by key as spans come.
 */
import { traceKeyOf } from './span-keys.js';
import { NotKnown } from './worker-rows.js';

export class RequestTraces {
  private readonly index = new Map<number, number>();
  private count = 0;
  /** Per trace: its id's four words; its start range as [min lo, min hi, max lo, max hi]; its key. */
  private words = new Uint32Array(0);
  private starts = new Uint32Array(0);
  private keys = new Int32Array(0);

  constructor() {
    this.grow(64);
  }

  reset(): void {
    this.count = 0;
    this.index.clear();
  }

  /** Notes a span of the trace with these id words, starting at (lo, hi); returns the trace's key. */
  add(t0: number, t1: number, t2: number, t3: number, lo: number, hi: number): number {
    const key = traceKeyOf(t0, t1, t2, t3);
    const k = this.index.get(key);
    if (k === undefined) {
      if (this.count === this.keys.length) this.grow(this.count * 2);
      const m = this.count++;
      this.index.set(key, m);
      this.keys[m] = key;
      this.words.set([t0, t1, t2, t3], m * 4);
      this.starts.set([lo, hi, lo, hi], m * 4);
      return key;
    }
    const w = this.words;
    const s = this.starts;
    if (w[k * 4] !== t0 >>> 0 || w[k * 4 + 1] !== t1 >>> 0 || w[k * 4 + 2] !== t2 >>> 0 || w[k * 4 + 3] !== t3 >>> 0) {
      throw new NotKnown('two traces of the request share a key');
    }
    // Start times compare as the unsigned fixed64 they were sent as.
    if (hi < s[k * 4 + 1]! || (hi === s[k * 4 + 1] && lo < s[k * 4]!)) {
      s[k * 4] = lo;
      s[k * 4 + 1] = hi;
    }
    if (hi > s[k * 4 + 3]! || (hi === s[k * 4 + 3] && lo > s[k * 4 + 2]!)) {
      s[k * 4 + 2] = lo;
      s[k * 4 + 3] = hi;
    }
    return key;
  }

  /** How many traces were noted. */
  get size(): number {
    return this.count;
  }

  /** The traces' ids as hex; their keys and start ranges ([min, max] each) are copied into `keys` and `starts`. */
  finish(keys: Int32Array, starts: BigInt64Array): string[] {
    const m = this.count;
    const hex = (w: number) => w.toString(16).padStart(8, '0');
    const traceIds: string[] = [];
    for (let k = 0; k < m; k++) traceIds.push(hex(this.words[k * 4]!) + hex(this.words[k * 4 + 1]!) + hex(this.words[k * 4 + 2]!) + hex(this.words[k * 4 + 3]!));
    keys.set(this.keys.subarray(0, m));
    new Uint32Array(starts.buffer, starts.byteOffset, m * 4).set(this.starts.subarray(0, m * 4));
    return traceIds;
  }

  private grow(cap: number): void {
    const words = new Uint32Array(cap * 4);
    words.set(this.words);
    const starts = new Uint32Array(cap * 4);
    starts.set(this.starts);
    const keys = new Int32Array(cap);
    keys.set(this.keys);
    this.words = words;
    this.starts = starts;
    this.keys = keys;
  }
}
