/** Typed field readers for OTLP/JSON: each accepts what the spec's JSON mapping allows and names the path when not. */

import { DecodeError } from '../protobuf/decode-error.js';

export type Json = Record<string, unknown>;

const snakeCache = new Map<string, string>();
const snake = (k: string): string => {
  let s = snakeCache.get(k);
  if (s === undefined) snakeCache.set(k, (s = k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())));
  return s;
};

/** obj[key], falling back to its snake_case spelling (some exporters print proto field names). */
export function field(o: Json, key: string): unknown {
  const v = o[key];
  return v !== undefined ? v : o[snake(key)];
}

const fail = (path: string, reason: string): never => {
  throw new DecodeError(reason, -1, path);
};
const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

export function obj(v: unknown, path: string): Json | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return fail(path, `expected an object, got ${describe(v)}`);
  return v as Json;
}

export function arr(o: Json, key: string, path: string): unknown[] {
  const v = field(o, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(join(path, key), `expected an array, got ${describe(v)}`);
  return v;
}

export function str(o: Json, key: string, path: string): string {
  const v = field(o, key);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') return fail(join(path, key), `expected a string, got ${describe(v)}`);
  return v;
}

export function u32(o: Json, key: string, path: string): number {
  const v = field(o, key);
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    return fail(join(path, key), `expected an unsigned 32-bit integer, got ${describe(v)}`);
  }
  return n;
}

/** int64/uint64/fixed64 as a decimal string or an integral number, range-checked. */
export function int64(v: unknown, path: string, signed: boolean): bigint {
  if (v === undefined || v === null) return 0n;
  let n: bigint | undefined;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v);
  else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  const [min, max] = signed ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
  if (n === undefined || n < min || n > max) {
    return fail(path, `expected ${signed ? 'an int64' : 'a uint64'} as a decimal string or integer, got ${describe(v)}`);
  }
  return n;
}

export function double(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return fail(path, `expected a number, got ${describe(v)}`);
}

/** An enum as its number or its name (`SPAN_KIND_SERVER`); the name table maps names to numbers. */
export function enumValue(o: Json, key: string, names: Record<string, number>, path: string): number {
  const v = field(o, key);
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return v;
  if (typeof v === 'string') {
    const n = names[v];
    if (n !== undefined) return n;
    if (/^-?\d+$/.test(v)) return Number(v) | 0;
  }
  return fail(join(path, key), `expected an enum number or one of ${Object.keys(names).join(', ')}, got ${describe(v)}`);
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * A hex id of `bytes` bytes, lowercased; '' when absent, empty or all zeros (the caller decides
 * whether that rejects the span).
 */
export function hexId(o: Json, key: string, bytes: number, path: string): string {
  const v = field(o, key);
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || v.length !== bytes * 2 || !HEX.test(v)) {
    return fail(join(path, key), `expected ${bytes * 2} hex digits, got ${describe(v)}`);
  }
  return /^0+$/.test(v) ? '' : v.toLowerCase();
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
