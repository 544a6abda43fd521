/**
 * The JSON parts of worker rows written straight from OTLP/protobuf, for their common shapes: a
 * span's events (the extra column's "e", codec.ts encodeExtra) and attribute values that are
 * arrays of strings (attributeText, then tagOf's typed JSON). Strings must be ASCII that JSON
 * leaves as it is. Anything else returns false, maybe having written part of it and left the
 * reader anywhere in the message: the caller drops what was written and decodes the usual way.
 */
import { joinI64, joinU64, type ProtoReader } from '@skein/model';
import type { TextOut } from './text-out.js';

const TWO32 = 4294967296;

/** An int64 from its halves as decimal: via a double when it fits 53 bits, as joinI64 does. */
export const int64Text = (lo: number, hi: number): string =>
  hi < 0x200000 ? String(hi * TWO32 + lo) : hi >= 0xffe00000 ? String((hi - TWO32) * TWO32 + lo) : joinI64(lo, hi).toString();

/** A uint64 from its halves as decimal, the same way (joinU64). */
const uint64Text = (lo: number, hi: number): string => (hi < 0x200000 ? String(hi * TWO32 + lo) : joinU64(lo, hi).toString());

/** A little-endian unsigned 32-bit word (as fixed64 halves are) at buf[p]. */
export const wordLE = (b: Uint8Array, p: number): number => (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;

/** `{"e":[...]}` for the events whose length prefixes are at these positions. */
export function eventsJson(r: ProtoReader, at: readonly number[], out: TextOut): boolean {
  out.ascii('{"e":[');
  for (let k = 0; k < at.length; k++) {
    if (k > 0) out.ascii(',');
    r.pos = at[k]!;
    if (!eventJson(r, out)) return false;
  }
  out.ascii(']}');
  return true;
}

/** `["time","name",[attributes],dropped]` */
function eventJson(r: ProtoReader, out: TextOut): boolean {
  const outer = r.enter();
  const buf = r.buf;
  let timeAt = -1;
  let nameAt = 0;
  let nameEnd = 0;
  let dropped = 0;
  const kvs: number[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 9) timeAt = r.need(8);
    else if (tag === 18) {
      nameAt = r.lenStart();
      nameEnd = r.pos;
    } else if (tag === 26) {
      kvs.push(r.pos);
      r.lenStart();
    } else if (tag === 32) dropped = r.uint32();
    else r.skip(tag & 7);
  }
  r.leave(outer);
  const lo = timeAt < 0 ? 0 : wordLE(buf, timeAt);
  const hi = timeAt < 0 ? 0 : wordLE(buf, timeAt + 4);
  out.ascii(`["${uint64Text(lo, hi)}",`);
  if (!out.jsonAscii(buf, nameAt, nameEnd)) return false;
  out.ascii(',[');
  for (let k = 0; k < kvs.length; k++) {
    if (k > 0) out.ascii(',');
    r.pos = kvs[k]!;
    if (!keyValueJson(r, out)) return false;
  }
  out.ascii(`],${dropped}]`);
  return true;
}

/** Where a KeyValue's key and value are: the last of each, as decoding takes them. */
export class KeyValueAt {
  keyAt = 0;
  keyEnd = 0;
  /** The value's length prefix, or -1 for none. */
  valueAt = -1;

  /** Reads the KeyValue at the reader (at its length prefix); leaves the reader after it. */
  read(r: ProtoReader): void {
    const outer = r.enter();
    this.keyAt = this.keyEnd = 0;
    this.valueAt = -1;
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === 10) {
        this.keyAt = r.lenStart();
        this.keyEnd = r.pos;
      } else if (tag === 18) {
        this.valueAt = r.pos;
        r.lenStart();
      } else r.skip(tag & 7);
    }
    r.leave(outer);
  }
}

const kv = new KeyValueAt();

/** `["key",value]`, the value typed as codec.ts toJson types it. */
function keyValueJson(r: ProtoReader, out: TextOut): boolean {
  kv.read(r);
  const { keyAt, keyEnd, valueAt } = kv;
  out.ascii('[');
  if (!out.jsonAscii(r.buf, keyAt, keyEnd)) return false;
  out.ascii(',');
  if (valueAt < 0) out.ascii('null');
  else {
    r.pos = valueAt;
    if (!valueJson(r, out)) return false;
  }
  out.ascii(']');
  return true;
}

/** An AnyValue holding nothing, or one string, bool, int or finite double. */
function valueJson(r: ProtoReader, out: TextOut): boolean {
  const outer = r.enter();
  let ok = true;
  if (r.pos === r.end) out.ascii('null');
  else {
    const tag = r.tag();
    if (tag === 10) {
      const at = r.lenStart();
      ok = r.pos === r.end && out.jsonAscii(r.buf, at, r.pos);
    } else if (tag === 16) {
      const lo = r.uint64Parts();
      ok = r.pos === r.end;
      if (ok) out.ascii(lo !== 0 || r.hi !== 0 ? 'true' : 'false');
    } else if (tag === 24) {
      const lo = r.uint64Parts();
      ok = r.pos === r.end;
      if (ok) out.ascii(`{"i":"${int64Text(lo, r.hi)}"}`);
    } else if (tag === 33) {
      const v = r.double();
      ok = r.pos === r.end && Number.isFinite(v) && !Object.is(v, -0);
      if (ok) out.ascii(`{"d":${String(v)}}`);
    } else ok = false;
  }
  r.leave(outer);
  return ok;
}

/**
 * An ArrayValue of strings (the reader at its length prefix) as encodeAttributes writes it after
 * the key: its JSON text, `\x1fj`, and its typed JSON, `{"a":[...]}`.
 */
export function stringArrayAttribute(r: ProtoReader, out: TextOut): boolean {
  const outer = r.enter();
  out.ascii('[');
  const items = out.size;
  for (let k = 0; r.pos < r.end; k++) {
    if (r.tag() !== 10) return false;
    const element = r.enter();
    if (r.pos === r.end || r.tag() !== 10) return false;
    const at = r.lenStart();
    if (r.pos !== r.end) return false;
    if (k > 0) out.ascii(',');
    if (!out.jsonAscii(r.buf, at, r.pos)) return false;
    r.leave(element);
  }
  r.leave(outer);
  const end = out.size;
  out.ascii(']\x1fj{"a":[');
  out.again(items, end);
  out.ascii(']}');
  return true;
}
