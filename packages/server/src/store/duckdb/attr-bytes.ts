/**
 * Span attributes encoded as UTF-8 straight into shared blocks: exactly the bytes of
 * `encodeAttributes(kvs, keys)`, without building that string. DuckDB takes the bytes as they
 * are (vector_assign_string_element_len), where a string had to be flattened from its
 * concatenated pieces and converted once more on the way in (~1 us per span under ingest).
 */
import { utf8Write, type KeyValue } from '@skein/model';
import type { AttrKeys } from './attr-keys.js';
import { encodedValue, esc, spelledHead } from './codec.js';

/** Bytes per block; a span whose attributes could need more gets a block of its own. */
const BLOCK_BYTES = 1 << 20;

export class AttributeBytes {
  private block = new Uint8Array(BLOCK_BYTES);
  private at = 0;
  /** The texts of the list's values other than scalars, computed once for bound and write. */
  private readonly others: string[] = [];

  constructor(private readonly keys: Pick<AttrKeys, 'head'>) {}

  /**
   * Writes from the start of the current block again: views given out before must no longer be
   * in use (the writer resets once a group's rows are in DuckDB, which copies them).
   */
  reset(): void {
    this.at = 0;
  }

  /** The encoded list as a view into the current block, valid until reset(). */
  encode(kvs: KeyValue[]): Uint8Array {
    const others = this.others;
    others.length = 0;
    this.reserve(this.bound(kvs));
    const out = this.block;
    const start = this.at;
    let p = start;
    let other = 0;
    for (let i = 0; i < kvs.length; i++) {
      const { key, value } = kvs[i]!;
      p = utf8Write(this.keys.head(key) ?? spelledHead(key), out, p);
      // The common scalar types as encodeAttributes writes them (numbers never need escaping).
      if (typeof value === 'string') {
        p = writeEscaped(value, out, p);
        out[p++] = 0x1f;
        out[p++] = 0x73; // s
      } else if (typeof value === 'bigint') {
        p = utf8Write(value.toString() + '\x1fi', out, p);
      } else if (typeof value === 'boolean') {
        p = utf8Write(value ? 'true\x1fb' : 'false\x1fb', out, p);
      } else if (typeof value === 'number') {
        p = utf8Write(String(value) + (Object.is(value, -0) ? '\x1fz' : '\x1fd'), out, p);
      } else {
        p = utf8Write(others[other++]!, out, p);
      }
    }
    out[p++] = 0x1e;
    this.at = p;
    return out.subarray(start, p);
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.block.length) return;
    this.block = new Uint8Array(Math.max(BLOCK_BYTES, bytes));
    this.at = 0;
  }

  /** An upper bound of the encoded size: at most 3 UTF-8 bytes per UTF-16 unit, escapes included. */
  private bound(kvs: KeyValue[]): number {
    let n = 1;
    for (let i = 0; i < kvs.length; i++) {
      const { key, value } = kvs[i]!;
      n += 3 * (key.length * 2 + 16);
      if (typeof value === 'string') n += 3 * value.length + 2;
      else if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') n += 40;
      else {
        const text = encodedValue(value);
        this.others.push(text);
        n += 3 * text.length;
      }
    }
    return n;
  }
}

/** Writes esc(s) as UTF-8: separators \x1d-\x1f become \x1d and '0'..'2'. */
function writeEscaped(s: string, out: Uint8Array, p: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return utf8Write(esc(s.slice(i)), out, p);
    if (c >= 0x1d && c <= 0x1f) {
      out[p++] = 0x1d;
      out[p++] = c + 0x13;
    } else {
      out[p++] = c;
    }
  }
  return p;
}
