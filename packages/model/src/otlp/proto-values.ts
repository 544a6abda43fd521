/** OTLP protobuf decoding of the shared pieces: ids, KeyValue lists and AnyValue. */

import type { AnyValue, KeyValue } from '../span.js';
import type { ProtoReader } from '../protobuf/reader.js';
import { DecodeError, rethrowWithin } from '../protobuf/decode-error.js';
import { utf8Read } from '../protobuf/utf8.js';

/** Hex pairs as char codes, so an id becomes one String.fromCharCode call. */
const HEX_CODES = new Uint16Array(512);
for (let i = 0; i < 256; i++) {
  const h = i.toString(16).padStart(2, '0');
  HEX_CODES[i * 2] = h.charCodeAt(0);
  HEX_CODES[i * 2 + 1] = h.charCodeAt(1);
}
const idChars16 = new Array<number>(32);
const idChars8 = new Array<number>(16);

/**
 * A batch carries each trace id once per span of the trace, so recent trace ids are kept in a
 * small direct-mapped cache keyed by their (random) first bytes: comparing 16 bytes is cheaper
 * than building the string again.
 */
const TRACE_SLOTS = 256;
const traceCacheBytes = new Uint8Array(TRACE_SLOTS * 16);
const traceCacheStr: string[] = new Array<string>(TRACE_SLOTS).fill('');

/** 16 bytes at buf[p] as 32 lowercase hex digits, or '' when they are all zero. */
export function traceIdHex(buf: Uint8Array, p: number): string {
  const slot = (buf[p]! ^ buf[p + 15]!) & (TRACE_SLOTS - 1);
  const base = slot * 16;
  let i = 0;
  while (i < 16 && traceCacheBytes[base + i] === buf[p + i]) i++;
  if (i === 16 && traceCacheStr[slot] !== '') return traceCacheStr[slot]!;
  const s = traceIdHexUncached(buf, p);
  if (s !== '') {
    traceCacheBytes.set(buf.subarray(p, p + 16), base);
    traceCacheStr[slot] = s;
  }
  return s;
}

function traceIdHexUncached(buf: Uint8Array, p: number): string {
  return idHex(buf, p, idChars16);
}

/** 8 bytes at buf[p] as 16 lowercase hex digits, or '' when they are all zero. */
export function spanIdHex(buf: Uint8Array, p: number): string {
  return idHex(buf, p, idChars8);
}

/** chars.length / 2 bytes at buf[p] as lowercase hex, or '' when they are all zero. */
function idHex(buf: Uint8Array, p: number, chars: number[]): string {
  let or = 0;
  for (let i = 0, n = chars.length >> 1; i < n; i++) {
    const b = buf[p + i]!;
    or |= b;
    chars[i * 2] = HEX_CODES[b * 2]!;
    chars[i * 2 + 1] = HEX_CODES[b * 2 + 1]!;
  }
  return or === 0 ? '' : String.fromCharCode.apply(null, chars);
}

/** AnyValue nesting deeper than this is refused, so hostile input cannot blow the stack. */
const MAX_DEPTH = 32;

/** Reads one KeyValue message (the reader is positioned at its length prefix). */
export function readKeyValue(r: ProtoReader, depth: number): KeyValue {
  const outer = r.enter();
  let key = '';
  let value: AnyValue = null;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) key = r.string();
    else if (tag === 18) {
      // Fast path (+6% on realistic batches): an AnyValue of under 128 bytes holding only a
      // string_value, as most attributes are. Anything else takes the general reader.
      const b = r.buf;
      const p = r.pos;
      const len = b[p]!;
      if (len < 0x80 && p + 1 + len <= r.end && b[p + 1] === 10 && b[p + 2]! + 2 === len) {
        value = utf8Read(b, p + 3, p + 1 + len);
        r.pos = p + 1 + len;
        continue;
      }
      try {
        value = readAnyValue(r, depth + 1);
      } catch (e) {
        rethrowWithin(e, 'value');
      }
    } else r.skip(tag & 7);
  }
  r.leave(outer);
  return { key, value };
}

/** Appends the KeyValue at the reader to `list`, naming `field[i]` on error. */
export function readKeyValueInto(r: ProtoReader, list: KeyValue[], field: string, depth: number): void {
  try {
    list.push(readKeyValue(r, depth));
  } catch (e) {
    rethrowWithin(e, `${field}[${list.length}]`);
  }
}

/** Reads one AnyValue message; an unset value is null. */
export function readAnyValue(r: ProtoReader, depth: number): AnyValue {
  if (depth > MAX_DEPTH) throw new DecodeError(`attribute values nested deeper than ${MAX_DEPTH}`, r.pos);
  const outer = r.enter();
  let value: AnyValue = null;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10:
        value = r.string();
        break;
      case 16:
        value = r.bool();
        break;
      case 24:
        value = r.int64();
        break;
      case 33:
        value = r.double();
        break;
      case 42:
        value = readArray(r, depth);
        break;
      case 50:
        value = { kvlist: readKvList(r, depth) };
        break;
      case 58:
        value = r.bytesCopy();
        break;
      default:
        // a known field with an unexpected wire type is skipped like an unknown one, as protobuf-java does
        r.skip(tag & 7);
    }
  }
  r.leave(outer);
  return value;
}

function readArray(r: ProtoReader, depth: number): AnyValue[] {
  const outer = r.enter();
  const values: AnyValue[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      try {
        values.push(readAnyValue(r, depth + 1));
      } catch (e) {
        rethrowWithin(e, `arrayValue[${values.length}]`);
      }
    } else r.skip(tag & 7);
  }
  r.leave(outer);
  return values;
}

function readKvList(r: ProtoReader, depth: number): KeyValue[] {
  const outer = r.enter();
  const values: KeyValue[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) readKeyValueInto(r, values, 'kvlistValue', depth + 1);
    else r.skip(tag & 7);
  }
  r.leave(outer);
  return values;
}
