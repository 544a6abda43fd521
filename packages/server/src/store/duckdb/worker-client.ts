/**
 * The store's side of the ingest worker (ingest-worker.ts): sends it request bodies and the
 * dictionary entries the store has stored, and gets rows back. If the worker dies, every
 * request takes the store's own path from then on.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { InternedRows } from './interner.js';
import type { WorkerRows } from './worker-rows.js';

export type ToWorker = { type: 'interned'; rows: InternedRows } | { type: 'body'; id: number; body: ArrayBuffer };
type FromWorker = { id: number; rows: WorkerRows } | { id: number; fallback: string };

export class IngestWorker {
  private readonly waiting = new Map<number, (rows: WorkerRows | undefined) => void>();
  private lastId = 0;
  private dead = false;

  private constructor(
    private readonly worker: Worker,
    logger?: Logger,
  ) {
    worker.on('message', (m: FromWorker) => {
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
    // A copy to transfer (Buffer#slice would share, and transferring would detach, the caller's memory).
    const copy = new Uint8Array(body);
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.ref();
      this.post({ type: 'body', id, body: copy.buffer }, [copy.buffer]);
    });
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
