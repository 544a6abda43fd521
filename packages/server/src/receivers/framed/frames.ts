/**
 * Length-prefixed frames: a big-endian length (u32 by default; u64 for Kata's trace forwarder)
 * then that many bytes of OTLP ExportTraceServiceRequest protobuf.
 */

export type HeaderBytes = 4 | 8;

export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export class FrameTooLargeError extends Error {
  constructor(
    readonly length: number,
    readonly max: number,
  ) {
    super(`frame of ${length} bytes is over the ${max}-byte limit`);
  }
}

export function encodeFrame(payload: Uint8Array, headerBytes: HeaderBytes = 4): Buffer {
  const out = Buffer.allocUnsafe(headerBytes + payload.length);
  if (headerBytes === 8) out.writeBigUInt64BE(BigInt(payload.length), 0);
  else out.writeUInt32BE(payload.length, 0);
  out.set(payload, headerBytes);
  return out;
}

/** Accumulates stream chunks and cuts them into frames. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(
    private readonly headerBytes: HeaderBytes = 4,
    private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  ) {}

  /** Adds a chunk and returns the frames it completed; throws FrameTooLargeError on an oversized header. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < this.headerBytes) break;
      const head = this.peek(this.headerBytes);
      const len = this.headerBytes === 8 ? head.readBigUInt64BE(0) : BigInt(head.readUInt32BE(0));
      if (len > BigInt(this.maxFrameBytes)) throw new FrameTooLargeError(Number(len), this.maxFrameBytes);
      const total = this.headerBytes + Number(len);
      if (this.buffered < total) break;
      frames.push(this.take(total).subarray(this.headerBytes));
    }
    return frames;
  }

  /** Bytes received that do not yet make a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0]!;
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return out;
  }
}
