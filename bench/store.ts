/**
 * Store benchmark: loads the bench dataset into a DuckDB file (1M spans; 10M too when
 * SKEIN_BENCH_FULL=1) and measures load rate, bytes per span on disk, trace-by-id and search
 * latency. Run alone with `npx tsx bench/store.ts [spans...]`; SKEIN_BENCH_STORE_KEEP=1 keeps the
 * files for a closer look.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span } from '@skein/model';
import type { TraceQuery } from '@skein/server';
import { DuckDbStore } from '../packages/server/src/store/duckdb/index.js';
import { generateTraces, prng } from './dataset.js';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const BATCH = 5000;
const IN_FLIGHT = 4;
const MS = 1_000_000n;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

/** Loads `spans` spans; returns the load rate and a sample of trace ids. */
interface Loaded {
  rate: number;
  /** Process CPU (all threads) per span, µs, dataset generation included. */
  cpuUs: number;
  sample: string[];
  commits: number;
  firstNs: bigint;
  lastNs: bigint;
}

/** CPU µs per span the generator alone takes, so the load's CPU can be read net of it. */
function generatorCpuUs(): number {
  const c0 = process.cpuUsage();
  let n = 0;
  for (const trace of generateTraces({ spans: 100_000, seed: 42 })) n += trace.length;
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

async function load(store: DuckDbStore, spans: number): Promise<Loaded> {
  const sample: string[] = [];
  const r = prng(7);
  let seen = 0;
  let batch: Span[] = [];
  const inflight = new Set<Promise<void>>();
  let lastNs = 0n;
  let firstNs: bigint | undefined;
  const commits0 = store.commits;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const flush = async (): Promise<void> => {
    const p = store.write(batch);
    batch = [];
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    if (inflight.size >= IN_FLIGHT) await Promise.race(inflight);
  };
  for (const trace of generateTraces({ spans, seed: 42 })) {
    // reservoir sample of trace ids for the lookups
    seen++;
    if (sample.length < 500) sample.push(trace[0]!.traceId);
    else if (r() < 500 / seen) sample[Math.floor(r() * 500)] = trace[0]!.traceId;
    lastNs = trace[0]!.startTimeUnixNano;
    firstNs ??= lastNs;
    for (const s of trace) batch.push(s);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  await Promise.all(inflight);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { rate: spans / secs, cpuUs: (cpu.user + cpu.system) / spans, sample, commits: store.commits - commits0, firstNs: firstNs ?? 0n, lastNs };
}

const SEARCHES: Array<Omit<TraceQuery, 'limit'>> = [
  { service: 'storage', operation: 'blob.read', attributes: { 'db.system': 'rocksdb' }, durationMinNs: 20n * MS },
  { service: 'containerd', operation: 'images.pull', attributes: { 'container.image.name': 'docker.io/library/redis' }, durationMinNs: 5n * MS, durationMaxNs: 500n * MS },
  { service: 'kata-agent', operation: 'CreateContainer', attributes: { error: 'true' }, durationMinNs: 1n * MS },
  { service: 'api-gateway', operation: 'POST /v1/containers', attributes: { 'http.response.status_code': '404' }, durationMinNs: 100n * MS },
];

export async function benchStore(opts: { spans?: number[] } = {}): Promise<BenchRow[]> {
  const sizes = opts.spans ?? (process.env.SKEIN_BENCH_FULL === '1' ? [1_000_000, 10_000_000] : [1_000_000]);
  const rows: BenchRow[] = [];
  for (const n of sizes) {
    const label = n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
    const dir = await mkdtemp(join(tmpdir(), 'skein-bench-store-'));
    const path = join(dir, 'skein.duckdb');
    try {
      let store = await DuckDbStore.open({ path });
      const genUs = generatorCpuUs();
      const { rate, cpuUs, sample, commits, firstNs, lastNs } = await load(store, n);
      rows.push({ name: `store load (${label} spans, ${IN_FLIGHT}x${BATCH}-span writes)`, value: Math.round(rate), unit: 'spans/s', note: `${commits} commits` });
      rows.push({ name: `store load CPU per span (${label})`, value: round(cpuUs - genUs, 1), unit: 'us', note: `all threads, net of ${genUs.toFixed(1)} us/span of dataset generation` });
      await store.close();
      store = await DuckDbStore.open({ path });
      const { bytes, spans } = await store.stats();
      rows.push({ name: `store bytes per span (${label})`, value: round(bytes / spans, 1), unit: 'B/span', note: `target <= 60; file ${(bytes / 2 ** 20).toFixed(0)} MiB` });

      // A store just opened loads each row group's metadata on first touch; a running server
      // has done that long ago, so lookups of other traces, one pass of the searches and one
      // RED query per service warm it up before anything is timed.
      const warm = sample.splice(0, 200);
      for (const id of warm) await store.getTrace(id);
      const byId = await timeEach(sample.length, (i) => store.getTrace(sample[i]!));
      rows.push({ name: `trace by id p50 (${label})`, value: round(pct(byId, 50)), unit: 'ms', note: `${byId.length} random traces, after ${warm.length} others` });
      rows.push({ name: `trace by id p99 (${label})`, value: round(pct(byId, 99)), unit: 'ms', note: 'target <= 20 ms on 10M' });

      for (const q of SEARCHES) await store.findTraceIds({ ...q, limit: 20 });
      const search = await timeEach(60, (i) => store.findTraceIds({ ...SEARCHES[i % SEARCHES.length]!, limit: 20 }));
      rows.push({ name: `search svc+op+attr+duration p50 (${label})`, value: round(pct(search, 50)), unit: 'ms' });
      rows.push({ name: `search svc+op+attr+duration p99 (${label})`, value: round(pct(search, 99)), unit: 'ms', note: 'target <= 300 ms on 10M' });

      // Jaeger Monitor: 60 buckets over the whole dataset, per operation, three latency quantiles
      const services = ['api-gateway', 'containerd', 'kata-shim', 'kata-agent', 'storage'];
      const stepNs = (lastNs - firstNs) / 60n + 1n;
      const redQuery = (i: number) =>
        store.getRedMetrics({ service: services[i % services.length]!, startNs: firstNs, endNs: lastNs, stepNs, groupByOperation: true, quantiles: [0.5, 0.95, 0.99] });
      for (let i = 0; i < services.length; i++) await redQuery(i);
      const red = await timeEach(20, redQuery);
      rows.push({ name: `RED aggregate p50 (${label})`, value: round(pct(red, 50)), unit: 'ms', note: '60 buckets x operations, 3 quantiles' });
      rows.push({ name: `RED aggregate p99 (${label})`, value: round(pct(red, 99)), unit: 'ms', note: 'target <= 200 ms on 10M' });
      await store.close();
    } finally {
      if (process.env.SKEIN_BENCH_STORE_KEEP === '1') console.error(`kept ${path}`);
      else await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  for (const row of await benchStore(sizes.length ? { spans: sizes } : {})) {
    console.log(`${row.name.padEnd(52)} ${String(row.value).padStart(10)} ${row.unit.padEnd(8)} ${row.note ?? ''}`);
  }
}
