/** GrowableBytes: the byte buffer under every wire writer (protobuf, thrift, msgpack), doubling when a write needs room. */

export class GrowableBytes {
  buf: Uint8Array;
  pos = 0;
  /** Over `buf`, for multi-byte writes (setBigUint64 beats splitting a bigint into halves). */
  protected view: DataView;

  constructor(initialSize: number) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}
