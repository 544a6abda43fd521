/**
 * Ingest: pre-encoded OTLP/HTTP protobuf requests of 1,000 spans from several connections into a
 * `skein serve` child process on its durable DuckDB store; baseline: spans/s that protobufjs
 * alone decodes on one core, measured in the same run.
 */
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOtlpProto, type Span } from '@skein/model';
import { makeProtobufjsDecoder, makeRealisticRequest } from './lib/protobufjs-reference.js';
import { startServeProcess } from './lib/serve-process.js';
import { median, type BenchRow } from './lib/table.js';

function protobufjsRate(buf: Uint8Array, spansPer: number): number {
  const decode = makeProtobufjsDecoder();
  const rates: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = process.hrtime.bigint();
    let spans = 0;
    while (process.hrtime.bigint() - t0 < 1_000_000_000n) spans += decode(buf) === spansPer ? spansPer : 0;
    rates.push(spans / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return median(rates);
}

/**
 * A pre-encoded request whose trace ids can be made new for every send by stamping a counter
 * into their first bytes in place, so the store sees fresh traces (not deduplicated replays)
 * while the load generator still only copies bytes.
 */
function uniqueIdRequest(spans: Span[]): { body: Uint8Array; stamp(n: number): Uint8Array } {
  const body = encodeOtlpProto(spans);
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const offsets: number[] = [];
  for (const id of new Set(spans.map((s) => s.traceId))) {
    const needle = Buffer.from(id, 'hex');
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 16)) offsets.push(at);
  }
  return {
    body,
    stamp(n: number) {
      for (const at of offsets) buf.writeUInt32BE(n >>> 0, at);
      return body;
    },
  };
}

function post(agent: Agent, host: string, port: number, body: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host, port, method: 'POST', path: '/v1/traces', headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function benchIngest(opts: { seconds?: number; connections?: number } = {}): Promise<BenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env.SKEIN_BENCH_INGEST_SECONDS ?? 15);
  const connections = opts.connections ?? 8;
  const bodies = Array.from({ length: 16 }, (_, i) => uniqueIdRequest(makeRealisticRequest(1000, i + 1)));
  const baseline = protobufjsRate(bodies[0]!.body, 1000);

  const dir = await mkdtemp(join(tmpdir(), 'skein-bench-ingest-'));
  const serve = await startServeProcess(['--data', dir]);
  const [host, port] = serve.addresses.otlpHttp!.split(':') as [string, string];
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let accepted = 0;
  let refused = 0;
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  const cpu0 = serve.cpuSeconds();
  const main0 = serve.cpuSeconds(true);
  const own0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      for (let i = c; Date.now() < deadline; i += connections) {
        const s = process.hrtime.bigint();
        const status = await post(agent, host, Number(port), bodies[i % bodies.length]!.stamp(i));
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        if (status === 200) accepted += 1000;
        else refused += 1000;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const serveCores = (serve.cpuSeconds() - cpu0) / elapsed;
  const mainCores = (serve.cpuSeconds(true) - main0) / elapsed;
  const own = process.cpuUsage(own0);
  const senderCores = (own.user + own.system) / 1e6 / elapsed;
  agent.destroy();
  await serve.stop();
  await rm(dir, { recursive: true, force: true });
  const rate = accepted / elapsed;
  latencies.sort((a, b) => a - b);
  return [
    { name: 'protobufjs decode (baseline, 1 core)', value: baseline, unit: 'spans/s' },
    { name: 'ingest OTLP/HTTP -> DuckDB (durable)', value: rate, unit: 'spans/s', note: `${connections} connections, ${elapsed.toFixed(0)} s, ${refused} spans refused (429/503), serve used ${serveCores.toFixed(2)} cores (main thread ${mainCores.toFixed(2)}), the sender ${senderCores.toFixed(2)}` },
    { name: 'ingest / protobufjs ratio', value: rate / baseline, unit: 'x', note: 'target >= 0.5 (goal 1)' },
    { name: 'ingest request latency p50', value: latencies[latencies.length >> 1] ?? NaN, unit: 'ms' },
    { name: 'ingest request latency p99', value: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, unit: 'ms' },
  ];
}
