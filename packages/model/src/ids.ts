/** Hex ids and their byte forms; foreign short ids are left-padded with zeros (DESIGN.md). */

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export const ZERO_TRACE_ID = '0'.repeat(32);
export const ZERO_SPAN_ID = '0'.repeat(16);

export function bytesToHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[bytes[i]!];
  return s;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

const HEX_RE = /^[0-9a-fA-F]+$/;

/**
 * Normalises a trace id given as 1..32 hex digits to 32 lowercase digits, or returns undefined.
 * Jaeger and Zipkin clients send 16-digit (64-bit) ids; they are left-padded with zeros.
 */
export function normalizeTraceId(id: string): string | undefined {
  if (id.length === 0 || id.length > 32 || !HEX_RE.test(id)) return undefined;
  return id.toLowerCase().padStart(32, '0');
}

/** Normalises a span id given as 1..16 hex digits to 16 lowercase digits, or returns undefined. */
export function normalizeSpanId(id: string): string | undefined {
  if (id.length === 0 || id.length > 16 || !HEX_RE.test(id)) return undefined;
  return id.toLowerCase().padStart(16, '0');
}

export function isValidTraceId(id: string): boolean {
  return id.length === 32 && HEX_RE.test(id) && id !== ZERO_TRACE_ID;
}

export function isValidSpanId(id: string): boolean {
  return id.length === 16 && HEX_RE.test(id) && id !== ZERO_SPAN_ID;
}
