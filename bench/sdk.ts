/** SDK benchmark: per-span cost (start, 5 attributes, end, export) of @skein/sdk vs sdk-trace-base + BatchSpanProcessor + OTLP proto; disabled cost; event-loop delay at 10k spans/s. */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ProxyTracerProvider } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { component, OtlpHttpExporter, resolveOptions, SkeinProvider } from '@skein/sdk';
import type { ByteExporter } from '@skein/sdk';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

// The sink runs in its own process so its CPU is not charged to either SDK.
const SINK = `const http=require('http');const s=http.createServer((q,r)=>{q.resume();q.on('end',()=>{r.writeHead(200,{'content-type':'application/x-protobuf'});r.end()})});s.listen(0,'127.0.0.1',()=>console.log(s.address().port));`;

async function startSink(): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => proc.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}/v1/traces`, proc };
}

interface Impl {
  tracer: Tracer;
  flush(): Promise<void>;
  close(): Promise<void>;
}

function skein(url: string, n: number): Impl {
  const p = new SkeinProvider(resolveOptions({ endpoint: url, flushOnExit: false, queueSize: n + 1, serviceName: 'bench' }, {}));
  return { tracer: p.getTracer('bench'), flush: () => p.queue.flush(), close: () => p.queue.close() };
}

function otel(url: string, n: number): Impl {
  const bsp = new BatchSpanProcessor(new OTLPTraceExporter({ url, concurrencyLimit: 1000 }), { maxQueueSize: n + 1, maxExportBatchSize: 512 });
  const p = new BasicTracerProvider({ spanProcessors: [bsp] });
  return { tracer: p.getTracer('bench'), flush: () => p.forceFlush(), close: () => p.shutdown() };
}

/** The bench span: started with its five attributes, not yet ended. */
function startBenchSpan(t: Tracer, i: number): ReturnType<Tracer['startSpan']> {
  const s = t.startSpan('bench-op');
  s.setAttribute('http.method', 'GET');
  s.setAttribute('http.status_code', 200);
  s.setAttribute('http.route', '/api/items/:id');
  s.setAttribute('db.rows', i);
  s.setAttribute('cache.hit', true);
  return s;
}

function spans(t: Tracer, n: number): void {
  for (let i = 0; i < n; i++) startBenchSpan(t, i).end();
}

/** ns per span for creating `n` spans and exporting every one of them. */
async function perSpan(make: (url: string, n: number) => Impl, url: string, n: number): Promise<number> {
  const impl = make(url, n);
  spans(impl.tracer, 500); // warm-up
  await impl.flush();
  const t0 = cpuNs();
  spans(impl.tracer, n);
  await impl.flush();
  const ns = (cpuNs() - t0) / n;
  await impl.close();
  return ns;
}

/** CPU time of this process in ns (user + system): the host's cost, immune to other processes' load. */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function disabledNs(): { api: number; helper: number } {
  const t = new ProxyTracerProvider().getTracer('off');
  const n = 2_000_000;
  const run = (): number => {
    const t0 = cpuNs();
    spans(t, n);
    return (cpuNs() - t0) / n;
  };
  run();
  const api = median([run(), run(), run(), run(), run()]);
  const c = component('off');
  const h = (): number => {
    const t0 = cpuNs();
    for (let i = 0; i < n; i++) c.span('debug', 'x', (s) => s.setAttribute('i', i));
    return (cpuNs() - t0) / n;
  };
  h();
  return { api, helper: median([h(), h(), h(), h(), h()]) };
}

/** No SDK at all (the no-op API): the event-loop delay this machine shows under the same load. */
function none(): Impl {
  return { tracer: new ProxyTracerProvider().getTracer('none'), flush: async () => {}, close: async () => {} };
}

/**
 * p99 event-loop delay (ms, wall clock) while producing 10,000 spans/s (100 every 10 ms) for `ms`.
 * On a loaded machine this is mostly other processes' turns: compare with the `none` run, and see
 * ownTasks() for the SDK's own longest pieces of work.
 */
async function loopDelay(make: (url: string, n: number) => Impl, url: string, ms: number): Promise<number> {
  const impl = make(url, 50_000);
  spans(impl.tracer, 500); // warm-up, so JIT compilation is not counted
  await impl.flush();
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const timer = setInterval(() => spans(impl.tracer, 100), 10);
  await new Promise((r) => setTimeout(r, ms));
  clearInterval(timer);
  h.disable();
  await impl.flush();
  await impl.close();
  return h.percentile(99) / 1e6;
}

/**
 * The SDK's own longest synchronous pieces of work, timed one by one: the span.end() that seals a
 * batch (the largest one; every other end() only encodes its span) and the synchronous part of
 * starting its HTTP export. Median over 40 batches, so a preemption by another process does not count.
 */
async function ownTasks(url: string): Promise<{ end: number; send: number }> {
  const inner = new OtlpHttpExporter(url);
  const sendMs: number[] = [];
  const ex: ByteExporter = {
    target: inner.target,
    send(body) {
      const t0 = performance.now();
      const p = inner.send(body);
      sendMs.push(performance.now() - t0);
      return p;
    },
    close: () => inner.close(),
  };
  const o = resolveOptions({ endpoint: url, flushOnExit: false, queueSize: 50_000, serviceName: 'bench' }, {});
  const p = new SkeinProvider(o, ex);
  const t = p.getTracer('bench');
  spans(t, 2000);
  await p.queue.flush();
  sendMs.length = 0;
  const endMax: number[] = [];
  for (let b = 0; b < 40; b++) {
    let m = 0;
    for (let i = 0; i < o.batchSize; i++) {
      const s = startBenchSpan(t, i);
      const t0 = performance.now();
      s.end();
      m = Math.max(m, performance.now() - t0);
    }
    endMax.push(m);
    await new Promise((r) => setImmediate(r)); // the export tick runs here
  }
  await p.queue.flush();
  await p.queue.close();
  return { end: median(endMax), send: median(sendMs) };
}

export async function benchSdk(): Promise<BenchResult[]> {
  const sink = await startSink();
  try {
    const n = 20_000;
    const sk: number[] = [];
    const ot: number[] = [];
    for (let i = 0; i < 5; i++) {
      sk.push(await perSpan(skein, sink.url, n));
      ot.push(await perSpan(otel, sink.url, n));
    }
    const s = median(sk);
    const o = median(ot);
    const off = disabledNs();
    // Interleaved rounds, median of each: the machine's load drifts during the run.
    const lag: Record<'skein' | 'otel' | 'none', number[]> = { skein: [], otel: [], none: [] };
    for (let i = 0; i < 3; i++) {
      lag.skein.push(await loopDelay(skein, sink.url, 1000));
      lag.otel.push(await loopDelay(otel, sink.url, 1000));
      lag.none.push(await loopDelay(none, sink.url, 1000));
    }
    const own = await ownTasks(sink.url);
    const p99 = (k: keyof typeof lag): number => median(lag[k]);
    return [
      { name: 'sdk.span_cost.skein', value: Math.round(s), unit: 'ns/span', note: `CPU time: start, 5 attributes, end, OTLP/HTTP export; median of 5 x ${n}` },
      { name: 'sdk.span_cost.otel', value: Math.round(o), unit: 'ns/span', note: 'sdk-trace-base + BatchSpanProcessor + exporter-trace-otlp-proto' },
      { name: 'sdk.span_cost.ratio', value: +(s / o).toFixed(3), unit: 'x', note: 'skein / otel; target <= 0.333' },
      { name: 'sdk.disabled.api', value: +off.api.toFixed(1), unit: 'ns/span', note: 'no init(): no-op API, start + 5 attributes + end; target <= 50' },
      { name: 'sdk.disabled.helper', value: +off.helper.toFixed(1), unit: 'ns/span', note: 'component().span() with no SDK running' },
      { name: 'sdk.loop_delay_p99.skein', value: +p99('skein').toFixed(3), unit: 'ms', note: 'event-loop delay p99 at 10,000 spans/s exported; target < 1; median of 3 x 1 s' },
      { name: 'sdk.loop_delay_p99.otel', value: +p99('otel').toFixed(3), unit: 'ms', note: 'same load through sdk-trace-base' },
      { name: 'sdk.loop_delay_p99.none', value: +p99('none').toFixed(3), unit: 'ms', note: 'same load, no SDK: what the machine itself adds' },
      { name: 'sdk.task.end_sealing', value: +own.end.toFixed(3), unit: 'ms', note: 'the longest end(): encodes its span and seals a 512-span request; target < 1' },
      { name: 'sdk.task.send', value: +own.send.toFixed(3), unit: 'ms', note: 'synchronous part of starting one OTLP/HTTP export' },
    ];
  } finally {
    sink.proc.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchSdk()) console.log(`${r.name.padEnd(28)} ${String(r.value).padStart(10)} ${r.unit}  ${r.note ?? ''}`);
}
