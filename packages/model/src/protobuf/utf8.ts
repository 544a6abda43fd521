/** UTF-8 helpers tuned for the many short ASCII strings of tracing data (keys, names, ids). */

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/**
 * Tracing data repeats its short strings (attribute keys, service and operation names, enum-like
 * values), so short strings go through a direct-mapped cache keyed by their bytes: hashing and
 * comparing 20 bytes costs a fraction of decoding them into a new string. Longer strings and
 * misses decode normally.
 */
const CACHE_SLOTS = 4096;
const CACHE_MAX = 48;
const cacheBytes = new Uint8Array(CACHE_SLOTS * CACHE_MAX);
const cacheLen = new Int32Array(CACHE_SLOTS).fill(-1);
const cacheStr: string[] = new Array<string>(CACHE_SLOTS).fill('');

/** Decodes `buf[start, end)`; invalid sequences become U+FFFD as in every protobuf runtime. */
export function utf8Read(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len === 0) return '';
  if (len > CACHE_MAX) return decoder.decode(buf.subarray(start, end));
  let h = len;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  const slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
  const base = slot * CACHE_MAX;
  if (cacheLen[slot] === len) {
    let i = 0;
    while (i < len && cacheBytes[base + i] === buf[start + i]) i++;
    if (i === len) return cacheStr[slot]!;
  }
  const s = decodeShort(buf, start, end);
  cacheLen[slot] = len;
  cacheBytes.set(buf.subarray(start, end), base);
  cacheStr[slot] = s;
  return s;
}

function decodeShort(buf: Uint8Array, start: number, end: number): string {
  if (end - start > 12) return decoder.decode(buf.subarray(start, end));
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x80) return decoder.decode(buf.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

/** The UTF-8 byte length of a string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for 2 UTF-16 units
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}

/** Writes `s` as UTF-8 at `buf[pos]`, which must have utf8Length(s) bytes of room; returns the new pos. */
export function utf8Write(s: string, buf: Uint8Array, pos: number): number {
  const n = s.length;
  // a JS loop beats encodeInto's call overhead below ~30 chars (measured on Node 20)
  if (n > 32) return pos + encoder.encodeInto(s, buf.subarray(pos)).written;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    buf[pos++] = c;
  }
  if (i === n) return pos;
  const r = encoder.encodeInto(i === 0 ? s : s.slice(i), buf.subarray(pos));
  return pos + r.written;
}
