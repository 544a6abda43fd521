/**
 * A small direct-mapped cache from short byte strings (attribute keys, span names) to values,
 * looked up by the bytes themselves: hashing four bytes at each end and comparing the rest costs
 * less than decoding the string and looking that up. A slot holds the last key that landed in it.
 */
const SLOTS = 1024;
/** Longer keys are not cached. */
const MAX_KEY_BYTES = 64;

export class BytesMap<T> {
  private readonly bytes = new Uint8Array(SLOTS * MAX_KEY_BYTES);
  private readonly lengths = new Int32Array(SLOTS).fill(-1);
  private readonly values: Array<T | undefined> = new Array<T | undefined>(SLOTS).fill(undefined);

  get(buf: Uint8Array, at: number, end: number): T | undefined {
    const len = end - at;
    if (len > MAX_KEY_BYTES) return undefined;
    const slot = slotOf(buf, at, len);
    if (this.lengths[slot] !== len) return undefined;
    const base = slot * MAX_KEY_BYTES;
    const bytes = this.bytes;
    for (let i = 0; i < len; i++) if (bytes[base + i] !== buf[at + i]) return undefined;
    return this.values[slot];
  }

  set(buf: Uint8Array, at: number, end: number, value: T): void {
    const len = end - at;
    if (len > MAX_KEY_BYTES) return;
    const slot = slotOf(buf, at, len);
    this.bytes.set(buf.subarray(at, end), slot * MAX_KEY_BYTES);
    this.lengths[slot] = len;
    this.values[slot] = value;
  }

  clear(): void {
    this.lengths.fill(-1);
    this.values.fill(undefined);
  }
}

function slotOf(buf: Uint8Array, at: number, len: number): number {
  let h = Math.imul(len, 0x9e3779b1);
  if (len >= 4) {
    h = Math.imul(h ^ (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)), 0x85ebca6b);
    const e = at + len - 4;
    h = Math.imul(h ^ (buf[e]! | (buf[e + 1]! << 8) | (buf[e + 2]! << 16) | (buf[e + 3]! << 24)), 0xc2b2ae35);
  } else {
    for (let i = 0; i < len; i++) h = Math.imul(h ^ buf[at + i]!, 0x01000193);
  }
  h ^= h >>> 15;
  return h & (SLOTS - 1);
}
