/**
 * The growable byte buffer that worker rows' texts are written into (proto-rows.ts), with the
 * writers the row texts need: raw bytes, ASCII, UTF-8, and ASCII copied as the attribute
 * encoding (codec.ts esc) or as a JSON string writes it. The copying writers return false,
 * having written nothing, for input they cannot copy as it is; callers then encode it the usual way.
 */
import { utf8Write } from '@skein/model';

const START_BYTES = 1 << 20;

export class TextOut {
  bytes = new Uint8Array(START_BYTES);
  size = 0;

  /** Empties it; a buffer grown past 16 MiB by a rare huge request is let go. */
  reset(): void {
    this.size = 0;
    if (this.bytes.length > 16 * START_BYTES) this.bytes = new Uint8Array(START_BYTES);
  }

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.size + n <= this.bytes.length) return;
    const bytes = new Uint8Array(Math.max(this.bytes.length * 2, this.size + n));
    bytes.set(this.bytes.subarray(0, this.size));
    this.bytes = bytes;
  }

  copy(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    // A loop beats set()'s call for the short heads and values that most copies are.
    if (n > 32) this.bytes.set(b, this.size);
    else for (let i = 0, out = this.bytes, p = this.size; i < n; i++) out[p + i] = b[i]!;
    this.size += n;
  }

  /** Copies bytes already written, from `at` to `end`, to the end. */
  again(at: number, end: number): void {
    this.room(end - at);
    this.bytes.copyWithin(this.size, at, end);
    this.size += end - at;
  }

  /** A string known to be ASCII. */
  ascii(s: string): void {
    this.room(s.length);
    const out = this.bytes;
    let p = this.size;
    for (let i = 0; i < s.length; i++) out[p++] = s.charCodeAt(i);
    this.size = p;
  }

  utf8(s: string): void {
    this.room(3 * s.length);
    this.size = utf8Write(s, this.bytes, this.size);
  }

  /** buf[at, end) if it is ASCII (so UTF-8 that decodes to itself). */
  copyAscii(buf: Uint8Array, at: number, end: number): boolean {
    this.room(end - at);
    const out = this.bytes;
    let p = this.size;
    for (let i = at; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return false;
      out[p++] = c;
    }
    this.size = p;
    return true;
  }

  /** buf[at, end) escaped as esc() does (separators \x1d-\x1f become \x1d and '0'..'2'), if ASCII. */
  escapedAscii(buf: Uint8Array, at: number, end: number): boolean {
    this.room(2 * (end - at));
    const out = this.bytes;
    let p = this.size;
    for (let i = at; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return false;
      if (c >= 0x1d && c <= 0x1f) {
        out[p++] = 0x1d;
        out[p++] = c + 0x13;
      } else out[p++] = c;
    }
    this.size = p;
    return true;
  }

  /** buf[at, end) as a quoted JSON string, if it is ASCII that JSON.stringify leaves unescaped. */
  jsonAscii(buf: Uint8Array, at: number, end: number): boolean {
    this.room(end - at + 2);
    const out = this.bytes;
    let p = this.size;
    out[p++] = 0x22;
    for (let i = at; i < end; i++) {
      const c = buf[i]!;
      if (c < 0x20 || c >= 0x80 || c === 0x22 || c === 0x5c) return false;
      out[p++] = c;
    }
    out[p++] = 0x22;
    this.size = p;
    return true;
  }
}
