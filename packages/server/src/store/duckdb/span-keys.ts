/**
 * Which spans and traces the file may already hold, so the writer knows that most spans cannot
 * duplicate anything and skips the dedupe probe. A KeySet holds 32-bit hashes, of (trace id, span
 * id) for spans or of the trace id for traces, each with the latest start second stored under it.
 * To bound memory it covers only what started at or after `floorNs`: evicting old keys raises
 * the floor. A duplicate has the same ids and start time as its original, so a span at or after
 * the span floor whose key is not here cannot be a duplicate, and neither can a span at or after
 * the trace floor whose trace is not here (traces are ~17x fewer, so that set reaches much
 * further back: late spans of new traces do not all take the probe at high ingest rates). Hash
 * collisions and spans before the floors only take the exact (slower) path.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { hexWord } from '../hex.js';

/** Mixes the six 32-bit words of a trace id and a span id; never returns 0 (the empty slot). */
export function hashWords(t0: number, t1: number, t2: number, t3: number, s0: number, s1: number): number {
  let h = Math.imul(t0 ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ t1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ t2, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ t3, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15) ^ s0, 0x165667b1);
  h = Math.imul(h ^ (h >>> 13) ^ s1, 0x9e3779b1);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

/** The key of a span with checked lowercase hex ids. */
export const spanKey = (traceId: string, spanId: string): number => spanKeyIn(traceWords(traceId), spanId);

/** A checked trace id's four words, parsed once per trace. */
export const traceWords = (traceId: string): number[] => [hexWord(traceId, 0), hexWord(traceId, 8), hexWord(traceId, 16), hexWord(traceId, 24)];

export const spanKeyIn = (t: number[], spanId: string): number => hashWords(t[0]!, t[1]!, t[2]!, t[3]!, hexWord(spanId, 0), hexWord(spanId, 8));

/** The key of a trace in a trace KeySet, from its id's four words. */
export const traceKeyOf = (t0: number, t1: number, t2: number, t3: number): number => hashWords(t0, t1, t2, t3, 0x243f6a88, 0x85a308d3);

export const traceKeyIn = (t: number[]): number => traceKeyOf(t[0]!, t[1]!, t[2]!, t[3]!);

/**
 * Seconds since the epoch clamped to uint32. Via a double (no BigInt division on the hot path):
 * rounding to a double is monotonic and k * 1e9 is exact, so this is never below the true second,
 * which keeps eviction safe (clamping too).
 */
const secondOf = (ns: bigint | number): number => {
  const s = Math.floor(Number(ns) / 1e9);
  return s < 0 ? 0 : s > 0xffffffff ? 0xffffffff : s;
};

/** One open-addressing table: a 32-bit key per slot (0 = empty) and its latest start second. */
class Table {
  readonly hashes: Int32Array;
  readonly seconds: Uint32Array;
  count = 0;

  constructor(slots: number) {
    this.hashes = new Int32Array(slots);
    this.seconds = new Uint32Array(slots);
  }

  has(h: number): boolean {
    const slots = this.hashes;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = slots[i]!;
      if (v === h) return true;
      if (v === 0) return false;
    }
  }

  insert(h: number, sec: number): void {
    const slots = this.hashes;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = slots[i]!;
      if (v === h) {
        if (sec > this.seconds[i]!) this.seconds[i] = sec;
        return;
      }
      if (v === 0) {
        slots[i] = h;
        this.seconds[i] = sec;
        this.count++;
        return;
      }
    }
  }
}

/**
 * Slots of the old table moved per key added while a rebuild runs: a table has at most four
 * slots per key of capacity, so a rebuild after an eviction (which keeps at most 3/4 of the
 * capacity) ends by the time the next eviction can be due.
 */
const MOVE_PER_ADD = 16;

export class KeySet {
  private table: Table;
  /**
   * The table being emptied into `table`, keeping keys from `keepFrom` on, a few slots per add:
   * rebuilding a 4M-slot table in one go held the event loop for 80-160 ms under ingest. Its keys
   * are still looked up meanwhile (those it will drop are below the floor: harmless).
   */
  private old: { table: Table; keepFrom: number; next: number; left: number } | undefined;
  private newestSec = 0;
  /** Four times the configured capacity: how far bunched start times may grow the set. */
  private readonly maxCapacity: number;
  /** What started before this is not covered: the writer probes those spans. */
  floorNs = -(2n ** 63n);

  /** `capacity`: keys kept before the oldest are evicted (~16 bytes each, twice that while rebuilding). */
  constructor(private capacity = 1 << 21) {
    this.maxCapacity = capacity * 4;
    let slots = 16;
    while (slots < capacity * 2 && slots < 1 << 18) slots *= 2;
    this.table = new Table(slots);
  }

  /** Keys held (those still in a table being rebuilt included). */
  get size(): number {
    return this.table.count + (this.old?.left ?? 0);
  }

  has(h: number): boolean {
    return this.table.has(h) || (this.old !== undefined && this.old.table.has(h));
  }

  /** Records that a span with this key, starting at startNs, is stored (startNs exact, or as Number() rounds it). */
  add(h: number, startNs: bigint | number): void {
    this.addSecond(h, secondOf(startNs));
  }

  private addSecond(h: number, sec: number): void {
    if (this.old) this.move(MOVE_PER_ADD);
    if (this.table.count >= this.capacity) this.evict();
    if (this.table.count * 2 >= this.table.hashes.length) this.rebuild(this.table.hashes.length * 2, 0);
    if (sec > this.newestSec) this.newestSec = sec;
    this.table.insert(h, sec);
  }

  /** Starts moving the keys from `keepFrom` on into a new table of `slots` slots. */
  private rebuild(slots: number, keepFrom: number): void {
    if (this.old) this.move(Infinity);
    this.old = { table: this.table, keepFrom, next: 0, left: this.table.count };
    this.table = new Table(slots);
  }

  /** Moves up to `slots` slots of the old table; drops it when done. */
  private move(slots: number): void {
    const old = this.old!;
    const { hashes, seconds } = old.table;
    const end = Math.min(hashes.length, old.next + slots);
    for (let i = old.next; i < end; i++) {
      if (hashes[i] === 0) continue;
      old.left--;
      if (seconds[i]! >= old.keepFrom) this.table.insert(hashes[i]!, seconds[i]!);
    }
    old.next = end;
    if (end === hashes.length) this.old = undefined;
  }

  /**
   * Drops about the older half (by a sampled median of start seconds) and raises the floor past
   * them. When start times are too bunched for that to free room, grows instead, up to four times
   * the configured capacity; past that only the newest second is kept (or nothing, if all keys
   * share it), so memory stays bounded and the rest take the exact path. The floor rises at once;
   * the dropped keys go while the table is rebuilt.
   */
  private evict(): void {
    if (this.old) this.move(Infinity);
    const { hashes, seconds, count } = this.table;
    const sample: number[] = [];
    const step = Math.max(1, Math.floor(hashes.length / 4096));
    for (let i = 0; i < hashes.length; i += step) if (hashes[i] !== 0) sample.push(seconds[i]!);
    sample.sort((a, b) => a - b);
    // How many keys start at or after a second, estimated from the sample.
    const countFrom = (sec: number): number => (count * sample.filter((x) => x >= sec).length) / Math.max(1, sample.length);
    const cut = sample[sample.length >> 1] ?? 0;
    const room = this.capacity * 0.75;
    if (cut > 0 && countFrom(cut) <= room) return this.dropBefore(cut);
    if (this.capacity < this.maxCapacity) {
      this.capacity *= 2;
      return;
    }
    this.dropBefore(countFrom(this.newestSec) <= room ? this.newestSec : this.newestSec + 1);
  }

  /** Every dropped key's spans started before `sec` seconds: the new floor. */
  private dropBefore(sec: number): void {
    const floor = BigInt(sec) * 1_000_000_000n;
    if (floor > this.floorNs) this.floorNs = floor;
    this.rebuild(this.table.hashes.length, sec);
  }

  /**
   * Adds the newest stored spans (or traces), up to half the capacity, at open, so replays after
   * a restart are caught.
   */
  async load(conn: DuckDBConnection, of: 'spans' | 'traces'): Promise<void> {
    const limit = Math.floor(this.capacity / 2);
    const words = `(trace_id >> 96)::UINTEGER, ((trace_id >> 64) & 4294967295)::UINTEGER,
      ((trace_id >> 32) & 4294967295)::UINTEGER, (trace_id & 4294967295)::UINTEGER`;
    // The start second, clamped like secondOf (exact here, which is never below the true second).
    const second = (ns: string): string => `least(greatest(${ns} // 1000000000, 0), 4294967295)::UINTEGER`;
    const sql =
      of === 'spans'
        ? `SELECT ${words}, (span_id >> 32)::UINTEGER, (span_id & 4294967295)::UINTEGER, ${second('start_ns')} FROM spans ORDER BY start_ns DESC LIMIT ${limit}`
        : `SELECT ${words}, ${second('start_max')} FROM traces ORDER BY start_max DESC LIMIT ${limit}`;
    // A chunk at a time, as 32-bit numbers: a million rows read as JS arrays of numbers and
    // BigInts left ~200MB of garbage whose collection paused the first queries after open.
    const result = await conn.stream(sql);
    let n = 0;
    let oldest = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const v = Array.from({ length: chunk.columnCount }, (_, i) => chunk.getColumnVector(i));
      const at = (col: number, row: number): number => v[col]!.getItem(row) as number;
      for (let r = 0; r < chunk.rowCount; r++) {
        const key = of === 'spans' ? hashWords(at(0, r), at(1, r), at(2, r), at(3, r), at(4, r), at(5, r)) : traceKeyIn([at(0, r), at(1, r), at(2, r), at(3, r)]);
        oldest = at(v.length - 1, r);
        this.addSecond(key, oldest);
      }
      n += chunk.rowCount;
    }
    // What was not loaded started before the next second after the oldest loaded one.
    if (n === limit) this.floorNs = (BigInt(oldest) + 1n) * 1_000_000_000n;
  }
}
