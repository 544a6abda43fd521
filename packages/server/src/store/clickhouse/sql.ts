/**
 * The one way user data enters ClickHouse SQL: as a quoted string literal. ClickHouse 18.16 has
 * no query parameters (`{x:Type}` is a syntax error there), so values must be literals.
 *
 * The literal is built from the value's UTF-8 bytes (or raw bytes for binary ids): plain ASCII
 * letters, digits and a few safe signs pass through, every other byte becomes `\xHH`. That is
 * escaping by allow-list, so quotes, backslashes, NUL, newlines and multi-byte characters can
 * never end the literal or be re-read differently, and `FixedString` ids compare byte-exact.
 */
const PLAIN = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-/:=,;()[]{}@#$%^&*+<>?!~|') PLAIN[c.charCodeAt(0)] = 1;
const HEX = '0123456789abcdef';

/** A ClickHouse string literal whose value is exactly `value` (UTF-8) or the given bytes. */
export function sqlString(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = "'";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += b < 128 && PLAIN[b] ? String.fromCharCode(b) : '\\x' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out + "'";
}

/** An unsigned integer literal; refuses anything but a non-negative integer in UInt64 range. */
export function sqlUInt(value: bigint | number): string {
  const v = BigInt(value);
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new RangeError(`not a UInt64: ${value}`);
  return v.toString();
}

/** A Float64 exactly as JavaScript holds it (decimal text might round differently there). */
export function sqlFloat64(value: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return `reinterpretAsFloat64(${sqlString(b)})`;
}

/** A database name taken from a URL: plain identifiers only, so it is never quoted or escaped. */
export function checkDatabaseName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) {
    throw new Error(`ClickHouse database name "${name}" is not a plain identifier (letters, digits, _)`);
  }
  return name;
}
