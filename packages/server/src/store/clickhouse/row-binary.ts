/**
 * ClickHouse's RowBinary format, the few types the store uses. Rows travel in the request body in
 * this format (never spliced into SQL), and results come back in it: exact for UInt64/Int64 and
 * Float64, byte-exact for strings, with no text escaping either way.
 */

/** The value of a lowercase hex digit, by char code. */
const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;

/** Appends RowBinary values to a growing buffer. */
export class RowBinaryWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private pos = 0;

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  uint8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }

  uint64(v: bigint): void {
    this.room(8);
    this.buf.writeBigUInt64LE(v, this.pos);
    this.pos += 8;
  }

  int64(v: bigint): void {
    this.room(8);
    this.buf.writeBigInt64LE(v, this.pos);
    this.pos += 8;
  }

  /** A LEB128 length: of a String, or of an Array column's list. */
  varint(n: number): void {
    this.room(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  /**
   * A String column value: a text (as UTF-8) or raw bytes. Short ASCII texts (names, attribute
   * keys and values) are copied here: a native write per text cost more than the copy.
   */
  string(v: string | Uint8Array): void {
    if (typeof v !== 'string') {
      this.varint(v.length);
      this.room(v.length);
      this.buf.set(v, this.pos);
      this.pos += v.length;
      return;
    }
    const n = v.length;
    if (n < 0x80) {
      this.room(n + 1);
      const buf = this.buf;
      const at = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = at + n;
        return;
      }
    }
    const bytes = Buffer.byteLength(v);
    this.varint(bytes);
    this.room(bytes);
    this.pos += this.buf.write(v, this.pos, 'utf8');
  }

  /** A FixedString id from its (checked) lowercase hex digits. */
  hex(id: string): void {
    const n = id.length >>> 1;
    this.room(n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) buf[this.pos++] = (NIBBLE[id.charCodeAt(2 * i)]! << 4) | NIBBLE[id.charCodeAt(2 * i + 1)]!;
  }

  /** A FixedString(n) value: exactly n bytes. */
  fixed(v: Uint8Array): void {
    this.room(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  uint64s(list: bigint[]): void {
    this.varint(list.length);
    for (const v of list) this.uint64(v);
  }

  /** Empties the writer, keeping its buffer: growing a fresh one costs a page fault per 4 KiB. */
  reset(): void {
    this.pos = 0;
  }

  /** The bytes written so far: a copy-free view, valid until the writer is reset or written to. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Reads RowBinary values in the order a query's columns were selected. */
export class RowBinaryReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error(`truncated RowBinary answer from ClickHouse (${this.buf.length} bytes)`);
  }

  uint8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  uint64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  private varint(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = this.uint8();
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
  }

  bytes(): Buffer {
    const n = this.varint();
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  string(): string {
    return this.bytes().toString('utf8');
  }

  fixed(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  uint64s(): bigint[] {
    const n = this.varint();
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) out.push(this.uint64());
    return out;
  }

  float64s(): number[] {
    const n = this.varint();
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.float64());
    return out;
  }
}
