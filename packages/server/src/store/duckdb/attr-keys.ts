/**
 * The dictionary of span attribute keys. Keys repeat on nearly every span and were about half of
 * its encoded attributes, so a span names an interned key by a short code instead of spelling it
 * out: `\x1e \x1d code \x1f` where code is letters (a, b, ..., z, aa, ...). An escape in encoded
 * text is `\x1d` + '0'..'2', so a code can never be mistaken for one, and a list may mix coded
 * and spelled-out keys: files from schema 1 spell every key out, and past MAX_KEYS new keys stay
 * spelled out so that odd clients (a new key per span) cannot grow the dictionary without bound.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Dictionary } from './dictionary.js';

export const MAX_KEYS = 50_000;

/** Bijective base 26 in letters: 0 -> 'a', 25 -> 'z', 26 -> 'aa'. */
export function keyCode(id: number): string {
  let s = '';
  for (let n = id + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(97 + ((n - 1) % 26)) + s;
  return s;
}

/** Letters back to the id keyCode gave them; NaN for anything else. */
function codeId(code: string): number {
  let n = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i) - 96;
    if (c < 1 || c > 26) return NaN;
    n = n * 26 + c;
  }
  return code.length ? n - 1 : NaN;
}

export class AttrKeys {
  readonly dictionary: Dictionary;
  /** key -> its coded head `\x1e\x1d code \x1f`, for keys with an id. */
  private readonly heads = new Map<string, string>();
  /** The file has spans from before the dictionary, whose keys are spelled out. */
  spelledOutBefore = false;

  constructor(maxKeys = MAX_KEYS) {
    this.dictionary = new Dictionary('attr_keys', 'key', maxKeys);
  }

  async load(conn: DuckDBConnection): Promise<void> {
    await this.dictionary.load(conn);
    const flag = await conn.runAndReadAll(`SELECT value FROM meta WHERE key = 'spelled_out_keys'`);
    this.spelledOutBefore = flag.getRows()[0]?.[0] === '1';
  }

  /** A key coded elsewhere (interner.ts restore). */
  restore(id: number, key: string): void {
    this.dictionary.restore(id, key);
  }

  /** The coded head of `key`, coding it now if there is room; undefined: spell it out. */
  head(key: string): string | undefined {
    const h = this.heads.get(key);
    if (h !== undefined) return h;
    const id = this.dictionary.idOf(key);
    return id === undefined ? undefined : this.cache(key, id);
  }

  /** The head for searches: never codes a new key. */
  knownHead(key: string): string | undefined {
    const h = this.heads.get(key);
    if (h !== undefined) return h;
    const id = this.dictionary.known(key);
    return id === undefined ? undefined : this.cache(key, id);
  }

  keyOf(code: string): string {
    const key = this.dictionary.find(codeId(code));
    if (key === undefined) throw new Error(`corrupt store: attribute key code ${JSON.stringify(code)} is not in attr_keys`);
    return key;
  }

  /** The keys coded since the last commit were not stored: forget them. */
  rollback(): void {
    for (const { text } of this.dictionary.rollback()) this.heads.delete(text);
  }

  private cache(key: string, id: number): string {
    const head = `\x1e\x1d${keyCode(id)}\x1f`;
    this.heads.set(key, head);
    return head;
  }
}
