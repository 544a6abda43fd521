/**
 * The store's side of the ingest worker (ingest-worker.ts): sends it request bodies and the
 * dictionary entries the store has stored, and gets rows back. If the worker dies, every
 * request takes the store's own path from then on.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { BufferPool } from './buffer-pool.js';
import type { InternedRows } from './interner.js';
import type { WorkerRows } from './worker-rows.js';

export type ToWorker =
  | { type: 'interned'; rows: InternedRows }
  /** A request's bytes (the first `length` of `body`), and buffers of stored rows for the worker to reuse. */
  | { type: 'body'; id: number; body: ArrayBuffer; length: number; spare: ArrayBuffer[] };
/** The body's buffer comes back with the answer, for a later request's bytes. */
type FromWorker = { id: number; rows: WorkerRows; body: ArrayBuffer } | { id: number; fallback: string; body: ArrayBuffer };

export class IngestWorker {
  private readonly waiting = new Map<number, (rows: WorkerRows | undefined) => void>();
  private lastId = 0;
  private dead = false;
  private readonly bodies = new BufferPool();
  /** Buffers of rows stored, sent back with the next body. */
  private readonly spareRows = new BufferPool();

  private constructor(
    private readonly worker: Worker,
    logger?: Logger,
  ) {
    worker.on('message', (m: FromWorker) => {
      this.bodies.give(m.body);
      const resolve = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) worker.unref();
      resolve?.('rows' in m ? m.rows : undefined);
    });
    const die = (err?: unknown) => {
      if (this.dead) return;
      this.dead = true;
      if (err) logger?.error({ err }, 'duckdb store: ingest worker failed; decoding on the main thread from now on');
      for (const resolve of this.waiting.values()) resolve(undefined);
      this.waiting.clear();
    };
    worker.on('error', die);
    worker.on('exit', () => die());
    // Referenced only while it owes answers: an idle worker does not keep the process alive.
    worker.unref();
  }

  /** Starts a worker knowing the entries stored so far. */
  static start(known: InternedRows, logger?: Logger): IngestWorker {
    // Built, the worker is a .js file beside this one; under the tests, the .ts source.
    const js = new URL('./ingest-worker.js', import.meta.url);
    const ts = new URL('./ingest-worker.ts', import.meta.url).href;
    const worker = existsSync(fileURLToPath(js))
      ? new Worker(js)
      : new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ts)}); })`, { eval: true });
    const client = new IngestWorker(worker, logger);
    client.interned(known);
    return client;
  }

  /** The body's rows, or undefined: the caller decodes and stores it itself. */
  rows(body: Uint8Array): Promise<WorkerRows | undefined> {
    if (this.dead) return Promise.resolve(undefined);
    const id = ++this.lastId;
    // A copy to transfer: transferring would detach the caller's memory (and a Buffer's pool).
    const copy = this.bodies.take(body.length);
    new Uint8Array(copy, 0, body.length).set(body);
    const spare = this.spareRows.drain();
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.ref();
      this.post({ type: 'body', id, body: copy, length: body.length, spare }, [copy, ...spare]);
    });
  }

  /** Rows from rows() that are stored (or failed): their buffer goes back to the worker. */
  recycle(rows: WorkerRows): void {
    if (!this.dead) this.spareRows.give(rows.columns);
  }

  /** Entries now stored, which the worker's rows may use from now on. */
  interned(rows: InternedRows): void {
    if (rows.keys.length || rows.names.length || rows.resources.length || rows.scopes.length) this.post({ type: 'interned', rows });
  }

  async close(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }

  private post(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }
}
