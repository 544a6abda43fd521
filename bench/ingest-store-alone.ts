/**
 * The ingest bench's requests written straight into the DuckDB store in this process, through the
 * path serve's OTLP/protobuf requests take (DuckDbStore.writeOtlpProto: its ingest worker reads
 * them into rows): no HTTP, no pipeline. What the store sustains so is the ceiling of ingest
 * through serve, so the bench prints it beside serve's figure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOtlpProto } from '@skein/model';
import { DuckDbStore } from '../packages/server/src/store/duckdb/index.js';
import { cpuSecondsOf } from './lib/serve-process.js';

export interface StoreAloneResult {
  rate: number;
  /** CPU of the whole process (all threads) and of its main thread, in cores. */
  cores: number;
  mainCores: number;
}

/** A pre-encoded request that stamps new trace ids and current times into itself (ingest.ts). */
export interface StampedRequest {
  spans: number;
  stamp(n: number): Uint8Array;
}

/**
 * `writers` concurrent writers (as many as the bench's connections), each writing one stamped
 * request and waiting for the commit, for `seconds`. A request the worker leaves to the caller
 * (the first ones, whose names and keys the store has not stored yet) is decoded and written
 * here, as the receivers do.
 */
export async function storeAloneRate(requests: StampedRequest[], seconds: number, writers: number, first: number): Promise<StoreAloneResult> {
  const dir = await mkdtemp(join(tmpdir(), 'skein-bench-store-alone-'));
  const store = await DuckDbStore.open({ path: join(dir, 'skein.duckdb') });
  try {
    let n = first;
    let written = 0;
    const deadline = Date.now() + seconds * 1000;
    const t0 = process.hrtime.bigint();
    const cpu0 = cpuSecondsOf(process.pid);
    const main0 = cpuSecondsOf(process.pid, true);
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (Date.now() < deadline) {
          const i = n++;
          const request = requests[i % requests.length]!;
          const body = request.stamp(i);
          if (!(await store.writeOtlpProto(body))) await store.write(decodeOtlpProto(body).spans);
          written += request.spans;
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
