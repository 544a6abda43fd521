/** Id normalisation shared by the parsers: lowercase hex, left-padded to 32 (trace) or 16 (span) digits. */

const HEX = /^[0-9a-fA-F]*$/;

/** Hex as-is, or base64 (protojson writes ids that way) turned to hex; then left-padded with zeros. */
export function normId(raw: unknown, width: 16 | 32): string {
  if (raw === undefined || raw === null || raw === '') return '';
  let s = String(raw);
  if (!HEX.test(s) || (s.length !== width && isBase64Id(s, width))) s = base64ToHex(s);
  s = s.toLowerCase();
  if (s.length > width) s = s.slice(s.length - width);
  return s.padStart(width, '0');
}

function isBase64Id(s: string, width: number): boolean {
  // 16 bytes -> 24 base64 chars, 8 bytes -> 12: lengths a hex id of that width never has.
  return (width === 32 && s.length === 24) || (width === 16 && s.length === 12);
}

export function base64ToHex(s: string): string {
  let bin: string;
  try {
    bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw new Error(`id "${s.slice(0, 40)}" is neither hex nor base64`);
  }
  let out = '';
  for (let i = 0; i < bin.length; i++) out += bin.charCodeAt(i).toString(16).padStart(2, '0');
  return out;
}

/** A decimal string/number of ns, µs or ms to exact ns. */
export function toNs(v: unknown, unitNs: bigint, what: string): bigint {
  if (typeof v === 'bigint') return v * unitNs;
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (Number.isInteger(v)) return BigInt(v) * unitNs;
    return BigInt(Math.round(v * Number(unitNs)));
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v) * unitNs;
  throw new Error(`${what} is not a number: ${JSON.stringify(v)?.slice(0, 60)}`);
}
