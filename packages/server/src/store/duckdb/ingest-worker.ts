/**
 * The DuckDB store's ingest worker: turns OTLP/protobuf request bodies into span rows
 * (worker-rows.ts) on its own thread, with a copy of the store's dictionaries that only the
 * store's thread adds to. A request it cannot do alone (malformed, with rejected spans, a
 * dictionary entry not stored yet, a repeated span id) is answered `fallback`: the store's
 * thread decodes that one itself, the way it stores spans from any other receiver.
 */
import { parentPort } from 'node:worker_threads';
import { decodeOtlpProto } from '@skein/model';
import { AttributeBytes } from './attr-bytes.js';
import { spelledHead } from './codec.js';
import { checkSpanIds } from '../hex.js';
import { Interner } from './interner.js';
import { buildRows, NotKnown, transferList, type Dictionaries } from './worker-rows.js';
import type { ToWorker } from './worker-client.js';

const interner = new Interner();
const dict: Dictionaries = {
  resource: (r) => interner.knownResource(r),
  scope: (s) => interner.knownScope(s),
  name: (name) => interner.names.known(name) ?? (interner.names.full ? null : undefined),
  head: (key) => {
    const head = interner.keys.knownHead(key);
    if (head !== undefined) return head;
    if (interner.keys.dictionary.full) return spelledHead(key);
    throw new NotKnown(`attribute key ${key} is new`);
  },
};
const attrBytes = new AttributeBytes(dict);

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'interned') {
    interner.restore(m.rows);
    return;
  }
  let reason: string;
  try {
    const decoded = decodeOtlpProto(new Uint8Array(m.body));
    if (decoded.rejected === 0 && decoded.spans.length > 0) {
      for (const s of decoded.spans) checkSpanIds(s);
      const rows = buildRows(decoded.spans, dict, attrBytes);
      parentPort!.postMessage({ id: m.id, rows }, transferList(rows));
      return;
    }
    reason = decoded.rejected ? 'rejected spans' : 'no spans';
  } catch (err) {
    reason = err instanceof Error ? err.message : String(err);
  }
  parentPort!.postMessage({ id: m.id, fallback: reason });
});
