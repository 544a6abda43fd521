/**
 * Store benchmark: loads the bench dataset into a DuckDB file (1M spans; 10M too when
 * SKEIN_BENCH_FULL=1) and measures load rate, bytes per span on disk, trace-by-id, search and RED
 * latency. The queries run in three passes, each on the file opened afresh, and the table gives
 * the median pass (all three in the note): one pass's p99 is its third-slowest of 300 lookups,
 * which one stall of this shared machine decides. Run alone with `npx tsx bench/store.ts
 * [spans...]`; SKEIN_BENCH_STORE_KEEP=1 keeps the files for a closer look.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span } from '@skein/model';
import type { Store, TraceQuery } from '@skein/server';
import { DuckDbStore } from '../packages/server/src/store/duckdb/index.js';
import { generateTraces, prng } from './dataset.js';
import { median, percentile as pct, printTable, type BenchRow } from './lib/table.js';
import { rerunWithLauncherTunables } from './lib/serve-process.js';

const BATCH = 5000;
const IN_FLIGHT = 4;
const MS = 1_000_000n;
/** Query passes, each on the store opened afresh. */
const PASSES = 3;

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

async function load(store: Store & { commits?: number }, spans: number): Promise<Loaded> {
  const sample: string[] = [];
  const r = prng(7);
  let seen = 0;
  let batch: Span[] = [];
  const inflight = new Set<Promise<void>>();
  let lastNs = 0n;
  let firstNs: bigint | undefined;
  const commits0 = store.commits ?? 0;
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
  return { rate: spans / secs, cpuUs: (cpu.user + cpu.system) / spans, sample, commits: (store.commits ?? 0) - commits0, firstNs: firstNs ?? 0n, lastNs };
}

const SEARCHES: Array<Omit<TraceQuery, 'limit'>> = [
  { service: 'storage', operation: 'blob.read', attributes: { 'db.system': 'rocksdb' }, durationMinNs: 20n * MS },
  { service: 'containerd', operation: 'images.pull', attributes: { 'container.image.name': 'docker.io/library/redis' }, durationMinNs: 5n * MS, durationMaxNs: 500n * MS },
  { service: 'kata-agent', operation: 'CreateContainer', attributes: { error: 'true' }, durationMinNs: 1n * MS },
  { service: 'api-gateway', operation: 'POST /v1/containers', attributes: { 'http.response.status_code': '404' }, durationMinNs: 100n * MS },
];

/** Lookups timed before the 300 measured ones in each pass. */
const WARM = 200;

interface Pass {
  byId: number[];
  search: number[];
  red: number[];
}

/** One pass of the timed queries, on the store opened afresh. */
async function queryPass(open: () => Promise<Store>, sample: string[], firstNs: bigint, lastNs: bigint): Promise<Pass> {
  const store = await open();
  try {
    // A store just opened loads each row group's metadata on first touch; a running server
    // has done that long ago, so lookups of other traces, one pass of the searches and one
    // RED query per service warm it up before anything is timed.
    const [warm, timed] = [sample.slice(0, WARM), sample.slice(WARM)];
    for (const id of warm) await store.getTrace(id);
    const byId = await timeEach(timed.length, (i) => store.getTrace(timed[i]!));

    for (const q of SEARCHES) await store.findTraceIds({ ...q, limit: 20 });
    const search = await timeEach(60, (i) => store.findTraceIds({ ...SEARCHES[i % SEARCHES.length]!, limit: 20 }));

    // Jaeger Monitor: 60 buckets over the whole dataset, per operation, three latency quantiles
    const services = ['api-gateway', 'containerd', 'kata-shim', 'kata-agent', 'storage'];
    const stepNs = (lastNs - firstNs) / 60n + 1n;
    const redQuery = (i: number) =>
      store.getRedMetrics!({ service: services[i % services.length]!, startNs: firstNs, endNs: lastNs, stepNs, groupByOperation: true, quantiles: [0.5, 0.95, 0.99] });
    for (let i = 0; i < services.length; i++) await redQuery(i);
    const red = await timeEach(20, redQuery);
    return { byId, search, red };
  } finally {
    await store.close();
  }
}

/** A store under test: a label for the rows and how to open it (again) on the same data. */
export interface StoreSubject {
  name: string;
  open(): Promise<Store & { commits?: number }>;
  /** Removes what the store holds (files, database). */
  cleanup(): Promise<void>;
}

/** What measure() found, for the rows and for comparisons between stores. */
export interface StoreFigures {
  rate: number;
  bytesPerSpan: number;
  /** Median pass's percentile, ms, by query kind. */
  byId: { p50: number; p99: number };
  search: { p50: number; p99: number };
  red: { p50: number; p99: number };
}

/** Loads n spans into the subject, then times the queries in PASSES passes on it opened afresh. */
export async function measure(subject: StoreSubject, n: number, rows: BenchRow[]): Promise<StoreFigures> {
  const label = `${subject.name ? `${subject.name}, ` : ''}${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`}`;
  let store = await subject.open();
  const genUs = generatorCpuUs();
  const { rate, cpuUs, sample, commits, firstNs, lastNs } = await load(store, n);
  rows.push({ name: `store load (${label} spans, ${IN_FLIGHT}x${BATCH}-span writes)`, value: Math.round(rate), unit: 'spans/s', note: commits ? `${commits} commits` : '' });
  rows.push({ name: `store load CPU per span (${label})`, value: round(cpuUs - genUs, 1), unit: 'us', note: `this process, all threads, net of ${genUs.toFixed(1)} us/span of dataset generation` });
  await store.close();
  store = await subject.open();
  const { bytes, spans } = await store.stats();
  await store.close();
  const bytesPerSpan = round(bytes / spans, 1);
  rows.push({ name: `store bytes per span (${label})`, value: bytesPerSpan, unit: 'B/span', note: `target <= 60; ${(bytes / 2 ** 20).toFixed(0)} MiB on disk` });

  const passes: Pass[] = [];
  for (let i = 0; i < PASSES; i++) passes.push(await queryPass(() => subject.open(), sample, firstNs, lastNs));
  const latency = (name: string, of: keyof Pass, p: number, note?: string): number => {
    const each = passes.map((pass) => pct(pass[of], p));
    const all = `median of ${PASSES} passes (${each.map((v) => v.toFixed(1)).join(', ')})`;
    const value = round(median(each));
    rows.push({ name: `${name} p${p} (${label})`, value, unit: 'ms', note: note ? `${all}; ${note}` : all });
    return value;
  };
  return {
    rate,
    bytesPerSpan,
    byId: { p50: latency('trace by id', 'byId', 50, `${sample.length - WARM} random traces each, after ${WARM} others`), p99: latency('trace by id', 'byId', 99, 'target <= 20 ms on 10M') },
    search: { p50: latency('search svc+op+attr+duration', 'search', 50), p99: latency('search svc+op+attr+duration', 'search', 99, 'target <= 300 ms on 10M') },
    red: { p50: latency('RED aggregate', 'red', 50, '60 buckets x operations, 3 quantiles'), p99: latency('RED aggregate', 'red', 99, 'target <= 200 ms on 10M') },
  };
}

/** The embedded store in a fresh DuckDB file. */
export async function duckDbSubject(): Promise<StoreSubject> {
  const dir = await mkdtemp(join(tmpdir(), 'skein-bench-store-'));
  const path = join(dir, 'skein.duckdb');
  return {
    name: '',
    open: () => DuckDbStore.open({ path }),
    cleanup: async () => {
      if (process.env.SKEIN_BENCH_STORE_KEEP === '1') console.error(`kept ${path}`);
      else await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function benchStore(opts: { spans?: number[] } = {}): Promise<BenchRow[]> {
  const sizes = opts.spans ?? (process.env.SKEIN_BENCH_FULL === '1' ? [1_000_000, 10_000_000] : [1_000_000]);
  const rows: BenchRow[] = [];
  for (const n of sizes) {
    const subject = await duckDbSubject();
    try {
      await measure(subject, n, rows);
    } finally {
      await subject.cleanup();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  rerunWithLauncherTunables();
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  printTable('Store queries', await benchStore(sizes.length ? { spans: sizes } : {}));
}
