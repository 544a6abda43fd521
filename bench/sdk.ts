/** SDK benchmark: per-span cost (start, 5 attributes, end, export) of @skein/sdk vs sdk-trace-base + BatchSpanProcessor + OTLP proto; disabled cost; event-loop delay at 10k spans/s. */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ProxyTracerProvider } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { component, resolveOptions, SkeinProvider } from '@skein/sdk';

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

function spans(t: Tracer, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = t.startSpan('bench-op');
    s.setAttribute('http.method', 'GET');
    s.setAttribute('http.status_code', 200);
    s.setAttribute('http.route', '/api/items/:id');
    s.setAttribute('db.rows', i);
    s.setAttribute('cache.hit', true);
    s.end();
  }
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
  const api = median([run(), run(), run()]);
  const c = component('off');
  const h = (): number => {
    const t0 = cpuNs();
    for (let i = 0; i < n; i++) c.span('debug', 'x', (s) => s.setAttribute('i', i));
    return (cpuNs() - t0) / n;
  };
  h();
  return { api, helper: median([h(), h(), h()]) };
}

/** p99 event-loop delay (ms) while producing 10,000 spans/s for `ms`. */
async function loopDelayP99(make: (url: string, n: number) => Impl, url: string, ms: number): Promise<number> {
  const impl = make(url, 50_000);
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
    const lagS = await loopDelayP99(skein, sink.url, 2000);
    const lagO = await loopDelayP99(otel, sink.url, 2000);
    return [
      { name: 'sdk.span_cost.skein', value: Math.round(s), unit: 'ns/span', note: `CPU time: start, 5 attributes, end, OTLP/HTTP export; median of 5 x ${n}` },
      { name: 'sdk.span_cost.otel', value: Math.round(o), unit: 'ns/span', note: 'sdk-trace-base + BatchSpanProcessor + exporter-trace-otlp-proto' },
      { name: 'sdk.span_cost.ratio', value: +(s / o).toFixed(3), unit: 'x', note: 'skein / otel; target <= 0.333' },
      { name: 'sdk.disabled.api', value: +off.api.toFixed(1), unit: 'ns/span', note: 'no init(): no-op API, start + 5 attributes + end; target <= 50' },
      { name: 'sdk.disabled.helper', value: +off.helper.toFixed(1), unit: 'ns/span', note: 'component().span() with no SDK running' },
      { name: 'sdk.loop_delay_p99.skein', value: +lagS.toFixed(3), unit: 'ms', note: 'event-loop delay p99 at 10,000 spans/s exported; target < 1' },
      { name: 'sdk.loop_delay_p99.otel', value: +lagO.toFixed(3), unit: 'ms', note: 'same load through sdk-trace-base' },
    ];
  } finally {
    sink.proc.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchSdk()) console.log(`${r.name.padEnd(28)} ${String(r.value).padStart(10)} ${r.unit}  ${r.note ?? ''}`);
}
