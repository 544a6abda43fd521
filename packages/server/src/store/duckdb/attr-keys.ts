/**
 * The dictionary of span attribute keys. Keys repeat on nearly every span and were about half of
 * its encoded attributes, so a span names an interned key by a short code instead of spelling it
 * out: `\x1e \x1d code \x1f` where code is letters (a, b, ..., z, aa, ...). An escape in encoded
 * text is `\x1d` + '0'..'2', so a code can never be mistaken for one, and a list may mix coded
 * and spelled-out keys: files from schema 1 spell every key out, and past MAX_KEYS new keys stay
 * spelled out so that odd clients (a new key per span) cannot grow the dictionary without bound.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export const MAX_KEYS = 50_000;

/** Bijective base 26 in letters: 0 -> 'a', 25 -> 'z', 26 -> 'aa'. */
export function keyCode(id: number): string {
  let s = '';
  for (let n = id + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(97 + ((n - 1) % 26)) + s;
  return s;
}

export class AttrKeys {
  /** key -> its coded head `\x1e\x1d code \x1f`. */
  private readonly heads = new Map<string, string>();
  private readonly byCode = new Map<string, string>();
  /** Keys coded since the last commit(); the writer stores them before spans use them. */
  pending: Array<{ id: number; key: string }> = [];
  /** The file has spans from before the dictionary, whose keys are spelled out. */
  spelledOutBefore = false;
  /** The next id: one past the highest known, so ids never collide even if the table has gaps. */
  private next = 0;

  constructor(private readonly maxKeys = MAX_KEYS) {}

  async load(conn: DuckDBConnection): Promise<void> {
    const rows = await conn.runAndReadAll(`SELECT id, key FROM attr_keys ORDER BY id`);
    for (const [id, key] of rows.getRows()) this.add(Number(id), key as string);
    const flag = await conn.runAndReadAll(`SELECT value FROM meta WHERE key = 'spelled_out_keys'`);
    this.spelledOutBefore = flag.getRows()[0]?.[0] === '1';
  }

  /** The coded head of `key`, coding it now if there is room; undefined: spell it out. */
  head(key: string): string | undefined {
    const h = this.heads.get(key);
    if (h !== undefined || this.heads.size >= this.maxKeys) return h;
    const id = this.next;
    this.pending.push({ id, key });
    return this.add(id, key);
  }

  /** The head for searches: never codes a new key. */
  knownHead(key: string): string | undefined {
    return this.heads.get(key);
  }

  keyOf(code: string): string {
    const key = this.byCode.get(code);
    if (key === undefined) throw new Error(`corrupt store: attribute key code ${JSON.stringify(code)} is not in attr_keys`);
    return key;
  }

  commit(): void {
    this.pending = [];
  }

  /** The pending keys were not stored: forget them (they are the newest ids). */
  rollback(): void {
    if (this.pending.length) this.next = this.pending[0]!.id;
    for (const { key } of this.pending) {
      this.byCode.delete(this.heads.get(key)!.slice(2, -1));
      this.heads.delete(key);
    }
    this.pending = [];
  }

  private add(id: number, key: string): string {
    const code = keyCode(id);
    const head = `\x1e\x1d${code}\x1f`;
    this.next = Math.max(this.next, id + 1);
    this.heads.set(key, head);
    this.byCode.set(code, key);
    return head;
  }
}
