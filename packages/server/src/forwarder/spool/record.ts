/**
 * The spool's on-disk record: `u32 LE body length, u32 LE crc32(body)` then the body
 * `u32 LE span count, f64 LE accept time (ms), payload`. A record whose length runs past the end
 * of the file or whose checksum fails is a torn tail: it is cut on open, never replayed.
 */
import zlib from 'node:zlib';

export const HEADER_BYTES = 8;
const BODY_PREFIX = 12;

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE); zlib's native one when the running Node has it (20.15+). */
export const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32(d: Uint8Array): number }).crc32(data) >>> 0
    : (data) => {
        let c = 0xffffffff;
        for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
        return (c ^ 0xffffffff) >>> 0;
      };

export interface SpoolRecord {
  payload: Buffer;
  spans: number;
  /** When the forwarder accepted the batch, ms since the epoch (for lag). */
  acceptedAtMs: number;
}

export function encodeRecord(payload: Uint8Array, spans: number, acceptedAtMs: number): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + BODY_PREFIX + payload.length);
  out.writeUInt32LE(BODY_PREFIX + payload.length, 0);
  out.writeUInt32LE(spans, HEADER_BYTES);
  out.writeDoubleLE(acceptedAtMs, HEADER_BYTES + 4);
  out.set(payload, HEADER_BYTES + BODY_PREFIX);
  out.writeUInt32LE(crc32(out.subarray(HEADER_BYTES)), 4);
  return out;
}

/** The outcome of parsing one record at `off` in `buf`. */
export type Parsed =
  | { kind: 'record'; record: SpoolRecord; next: number }
  /** The buffer ends inside the record; `need` is its full size. */
  | { kind: 'short'; need: number }
  | { kind: 'corrupt'; reason: string };

export function parseRecord(buf: Buffer, off: number, maxBody: number): Parsed {
  if (buf.length - off < HEADER_BYTES) return { kind: 'short', need: HEADER_BYTES };
  const len = buf.readUInt32LE(off);
  if (len < BODY_PREFIX || len > maxBody) return { kind: 'corrupt', reason: `bad record length ${len}` };
  if (buf.length - off < HEADER_BYTES + len) return { kind: 'short', need: HEADER_BYTES + len };
  const body = buf.subarray(off + HEADER_BYTES, off + HEADER_BYTES + len);
  if (crc32(body) !== buf.readUInt32LE(off + 4)) return { kind: 'corrupt', reason: 'checksum mismatch' };
  const spans = body.readUInt32LE(0);
  const acceptedAtMs = body.readDoubleLE(4);
  return {
    kind: 'record',
    record: { spans, acceptedAtMs, payload: body.subarray(BODY_PREFIX) },
    next: off + HEADER_BYTES + len,
  };
}
