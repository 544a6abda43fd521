/**
 * Strings the store names by small integer ids, kept in a table `(id INTEGER PRIMARY KEY, <text>
 * VARCHAR)` and mirrored here (one process owns the file). New ids are pending until the writer
 * has stored them, before any row that uses them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export class Dictionary {
  private readonly ids = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  /** Ids given since the last commit(), the newest last. */
  pending: Array<{ id: number; text: string }> = [];
  /** The next id: one past the highest known, so ids never collide even if the table has gaps. */
  private next = 0;

  /** Past `max` entries new texts get no id (the caller spells them out), unless forced. */
  constructor(
    readonly table: string,
    private readonly column: string,
    private readonly max: number,
  ) {}

  async load(conn: DuckDBConnection): Promise<void> {
    const rows = await conn.runAndReadAll(`SELECT id, ${this.column} FROM ${this.table} ORDER BY id`);
    for (const [id, text] of rows.getRows()) this.add(Number(id), text as string);
  }

  /** An entry stored elsewhere (a copy of another Dictionary, ingest-worker.ts). */
  restore(id: number, text: string): void {
    this.add(id, text);
  }

  /** Every stored entry (not the pending ones), for a copy. */
  entries(): Array<[number, string]> {
    const pending = new Set(this.pending.map((p) => p.id));
    return [...this.texts].filter(([id]) => !pending.has(id));
  }

  /** New texts get no id any more (idOf would say: spell it out). */
  get full(): boolean {
    return this.ids.size >= this.max;
  }

  /** The id of `text`, giving it one now if there is room or `force`; undefined: spell it out. */
  idOf(text: string, force = false): number | undefined {
    const id = this.ids.get(text);
    if (id !== undefined || (this.ids.size >= this.max && !force)) return id;
    this.pending.push({ id: this.next, text });
    return this.add(this.next, text);
  }

  /** For reads and searches: never gives an id. */
  known(text: string): number | undefined {
    return this.ids.get(text);
  }

  find(id: number): string | undefined {
    return this.texts.get(id);
  }

  textOf(id: number): string {
    const text = this.texts.get(id);
    if (text === undefined) throw new Error(`corrupt store: id ${id} is not in ${this.table}`);
    return text;
  }

  /** Appends the pending entries in the caller's transaction. */
  async store(conn: DuckDBConnection): Promise<void> {
    if (!this.pending.length) return;
    const app = await conn.createAppender(this.table);
    for (const { id, text } of this.pending) {
      app.appendInteger(id);
      app.appendVarchar(text);
      app.endRow();
    }
    app.closeSync();
  }

  commit(): void {
    this.pending = [];
  }

  /** The pending entries were not stored: forget them (they have the newest ids). */
  rollback(): Array<{ id: number; text: string }> {
    const gone = this.pending;
    if (gone.length) this.next = gone[0]!.id;
    for (const { id, text } of gone) {
      this.ids.delete(text);
      this.texts.delete(id);
    }
    this.pending = [];
    return gone;
  }

  private add(id: number, text: string): number {
    this.next = Math.max(this.next, id + 1);
    this.ids.set(text, id);
    this.texts.set(id, text);
    return id;
  }
}
