/**
 * The DuckDB store's ingest worker: turns OTLP/protobuf request bodies into span rows
 * (proto-rows.ts) on its own thread, with a copy of the store's dictionaries that only the
 * store's thread adds to. A request it cannot do alone (malformed, with rejected spans, a
 * dictionary entry not stored yet, a repeated span id) is answered `fallback`: the store's
 * thread decodes that one itself, the way it stores spans from any other receiver. The body's
 * buffer goes back with the answer, and the store's thread hands back the buffers of rows it
 * has stored, so neither side allocates them anew per request (buffer-pool.ts).
 */
import { parentPort } from 'node:worker_threads';
import { Interner } from './interner.js';
import { ProtoRows } from './proto-rows.js';
import { copiedDictionaries } from './worker-rows.js';
import type { ToWorker } from './worker-client.js';

const interner = new Interner();
const protoRows = new ProtoRows(copiedDictionaries(interner));

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'interned') {
    interner.restore(m.rows);
    protoRows.forgetLookups();
    return;
  }
  protoRows.recycle(m.spare);
  try {
    const rows = protoRows.rows(new Uint8Array(m.body, 0, m.length));
    parentPort!.postMessage({ id: m.id, rows, body: m.body }, [rows.columns, m.body]);
  } catch (err) {
    parentPort!.postMessage({ id: m.id, fallback: err instanceof Error ? err.message : String(err), body: m.body }, [m.body]);
  }
});
