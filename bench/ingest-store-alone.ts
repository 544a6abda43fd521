/**
 * The ingest bench's requests written straight into the DuckDB store in this process: no HTTP, no
 * decoding, no pipeline. What the store's write path alone sustains is the ceiling of ingest
 * through serve, so the bench prints it beside serve's figure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span } from '@skein/model';
import { DuckDbStore } from '../packages/server/src/store/duckdb/index.js';
import { cpuSecondsOf } from './lib/serve-process.js';

export interface StoreAloneResult {
  rate: number;
  /** CPU of the whole process (all threads) and of its main thread, in cores. */
  cores: number;
  mainCores: number;
}

/**
 * `writers` concurrent writers (as many as the bench's connections), each writing one request's
 * spans and waiting for the commit, for `seconds`. Each write gets new trace ids and current
 * times, as the bench's stamped requests do, so nothing is a duplicate of something stored.
 */
export async function storeAloneRate(requests: Span[][], seconds: number, writers: number): Promise<StoreAloneResult> {
  const dir = await mkdtemp(join(tmpdir(), 'skein-bench-store-alone-'));
  const store = await DuckDbStore.open({ path: join(dir, 'skein.duckdb') });
  try {
    const copies = Array.from({ length: writers }, (_, w) => requests[w % requests.length]!.map((s) => ({ ...s, events: s.events.map((e) => ({ ...e })) })));
    const originals = copies.map((spans) => spans.map((s) => ({ traceId: s.traceId, start: s.startTimeUnixNano, end: s.endTimeUnixNano, events: s.events.map((e) => e.timeUnixNano) })));
    let n = 0;
    let written = 0;
    const deadline = Date.now() + seconds * 1000;
    const t0 = process.hrtime.bigint();
    const cpu0 = cpuSecondsOf(process.pid);
    const main0 = cpuSecondsOf(process.pid, true);
    await Promise.all(
      copies.map(async (spans, w) => {
        while (Date.now() < deadline) {
          const prefix = (n++ >>> 0).toString(16).padStart(8, '0');
          const shift = BigInt(Date.now()) * 1_000_000n - originals[w]![0]!.start;
          spans.forEach((s, i) => {
            const o = originals[w]![i]!;
            s.traceId = prefix + o.traceId.slice(8);
            s.startTimeUnixNano = o.start + shift;
            s.endTimeUnixNano = o.end + shift;
            s.events.forEach((e, j) => (e.timeUnixNano = o.events[j]! + shift));
          });
          await store.write(spans);
          written += spans.length;
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    const cores = (cpuSecondsOf(process.pid) - cpu0) / elapsed;
    return { rate: written / elapsed, cores, mainCores: (cpuSecondsOf(process.pid, true) - main0) / elapsed };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
