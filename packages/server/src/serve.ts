/**
 * `skein serve`: the all-in-one. Receivers -> memory limiter -> batch (group commit) -> store,
 * plus the query API, the live tail and the web UI on one HTTP port.
 */
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { parseDurationNs } from '@skein/model';
import { Pipeline } from './pipeline/pipeline.js';
import type { Receiver } from './pipeline/component.js';
import { MemoryLimiter } from './processors/memory-limiter/index.js';
import { BatchProcessor } from './processors/batch/index.js';
import { storeExporter } from './exporters/store/index.js';
import { RECEIVERS } from './receivers/registry.js';
import { createOtlpHttpHandler, OTLP_TRACES_PATH } from './receivers/otlp-http/handler.js';
import { listenHttp, sendJson, type HttpListener } from './receivers/http/listen.js';
import { formatListenAddress, parseListenAddress } from './net/address.js';
import { explainListen } from './net/bind.js';
import { MemoryStore } from './store/memory/index.js';
import { DuckDbStore } from './store/duckdb/index.js';
import { ClickHouseStore, parseClickHouseUrl } from './store/clickhouse/index.js';
import { parseByteSize, startRetention } from './store/retention.js';
import type { Store } from './store/store.js';
import { createQueryRouter } from './query/index.js';
import { createStaticHandler } from './http/static.js';
import { createTailHandler } from './live/tail.js';
import { durationMs, loadServeConfig, receiverEndpoints } from './config/serve-config.js';
import { senderFor } from './config/exporters.js';
import { QueuedExporter } from './exporters/queued/index.js';
import type { Exporter } from './pipeline/component.js';

export interface ServeOptions {
  /** Data directory (default ./.skein); ignored with memory. */
  data?: string;
  memory?: boolean;
  /** A ClickHouse HTTP URL (`http://[user:password@]host:8123/database`): spans go there instead of DuckDB. */
  clickhouse?: string;
  /** UI + query API listener (default 127.0.0.1:16686). */
  http?: string;
  /** Receiver endpoints by option name (otlpGrpc, otlpHttp, zipkin, ...): `host:port`, `:port`, `off`. */
  [receiver: string]: unknown;
  /** A Collector-shaped YAML file; options given here win over it. */
  config?: string;
  retention?: string;
  maxSize?: string;
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface RunningServer {
  store: Store;
  pipeline: Pipeline;
  /** Bound addresses by option name (`http`, `otlpHttp`, ...), with real ports. */
  addresses: Record<string, string>;
  httpAddress: string;
  close(): Promise<void>;
}

export async function startServe(opts: ServeOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? pino({ name: 'skein', level: process.env.SKEIN_LOG_LEVEL ?? 'info' });
  const config = opts.config ? await loadServeConfig(opts.config) : undefined;
  const fromFile = config ? receiverEndpoints(config) : {};
  const storage = config?.file.skein ?? {};
  const retentionText = opts.retention ?? storage.retention ?? '72h';
  const retentionNs = parseDurationNs(retentionText);
  if (retentionNs === undefined) throw new Error(`--retention: "${retentionText}" is not a duration like 72h or 7d`);
  const maxSizeText = opts.maxSize ?? storage.max_size ?? '10GB';
  const maxBytes = parseByteSize(maxSizeText);
  if (maxBytes === undefined) throw new Error(`--max-size: "${maxSizeText}" is not a size like 10GB or 512MiB`);
  const httpAddr = parseListenAddress(String(opts.http ?? storage.http ?? '127.0.0.1:16686'), '--http');

  const memory = Boolean(opts.memory ?? storage.memory);
  const clickhouse = opts.clickhouse ?? storage.clickhouse;
  if (memory && clickhouse) throw new Error('--clickhouse and --memory both say where spans go; give only one of them');
  let store: Store;
  if (memory) store = new MemoryStore();
  else if (clickhouse) store = await ClickHouseStore.open({ url: clickhouse, logger });
  else {
    const dir = opts.data ?? storage.data ?? './.skein';
    await mkdir(dir, { recursive: true });
    store = await DuckDbStore.open({ path: join(dir, 'skein.duckdb'), logger });
  }
  // --max-size bounds the DuckDB file only: ClickHouse's disk is the server's to manage.
  const retention = startRetention(store, { retentionNs, maxBytes: memory || clickhouse ? undefined : maxBytes, logger });

  const exporters: Exporter[] = [];
  if (!config || config.exporters.some((e) => e.type === 'skein')) exporters.push(storeExporter(store));
  for (const spec of config?.exporters ?? []) {
    if (spec.type !== 'skein') exporters.push(new QueuedExporter(senderFor(spec), { logger: logger.child({ exporter: spec.id }) }));
  }
  const proc = config?.file.processors;
  const pipeline = new Pipeline(
    [
      (next) =>
        new MemoryLimiter(
          {
            limitBytes: (proc?.memory_limiter?.limit_mib ?? 1536) * 1024 * 1024,
            maxInFlightSpans: proc?.memory_limiter?.max_in_flight_spans ?? 500_000,
            checkIntervalMs: durationMs(proc?.memory_limiter?.check_interval, 100),
          },
          next,
        ),
      (next) => new BatchProcessor({ sendBatchSize: proc?.batch?.send_batch_size ?? 8192, timeoutMs: durationMs(proc?.batch?.timeout, 20), maxInFlight: 2 }, next),
    ],
    exporters,
  );

  const receivers: Receiver[] = [];
  const names: string[] = [];
  for (const entry of RECEIVERS) {
    const endpoint = String(opts[entry.option] ?? fromFile[entry.option] ?? entry.defaultEndpoint);
    const id = entry.factory.type;
    receivers.push(entry.factory.create({ endpoint, maxBodyBytes: opts.maxBodyBytes } as { endpoint: string }, { logger: logger.child({ receiver: id }), id }, pipeline.head));
    names.push(entry.option);
  }

  let ready = false;
  const ingest = createOtlpHttpHandler(pipeline.head, { maxBodyBytes: opts.maxBodyBytes });
  const query = createQueryRouter({ reader: store, logger });
  const tail = createTailHandler(pipeline);
  const ui = createStaticHandler();
  // Where each receiver listens once started: the UI tells a new user where to send spans.
  const receiverAddresses: Record<string, string> = {};
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/healthz') return sendJson(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting' });
    if (path === '/api/skein/receivers') return sendJson(res, 200, { receivers: receiverAddresses });
    if (path === OTLP_TRACES_PATH) return ingest(req, res);
    if (path === '/api/skein/tail') return tail(req, res);
    if (await query(req, res)) return;
    if (path.startsWith('/api/')) return sendJson(res, 404, { data: null, errors: [{ code: 404, msg: `no such endpoint ${path}` }] });
    return ui(req, res);
  };
  const serveRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { data: null, errors: [{ code: 500, msg: String(err) }] });
      else res.destroy();
    });
  };
  let http: HttpListener | undefined;
  try {
    await pipeline.start(receivers);
    if (httpAddr) http = await explainListen('--http (UI and query API)', formatListenAddress(httpAddr), () => listenHttp(httpAddr, serveRequest));
  } catch (err) {
    await pipeline.shutdown();
    await store.close();
    throw err;
  }

  receivers.forEach((r, i) => r.address && (receiverAddresses[names[i]!] = r.address));
  const addresses: Record<string, string> = { ...receiverAddresses };
  if (http) addresses.http = http.address;
  ready = true;
  const where = memory ? 'memory' : clickhouse ? parseClickHouseUrl(clickhouse).display : (opts.data ?? storage.data ?? './.skein');
  logger.info({ ...addresses, store: where }, 'skein serve is up');

  let closing: Promise<void> | undefined;
  return {
    store,
    pipeline,
    addresses,
    httpAddress: addresses.http ?? '',
    close: () =>
      (closing ??= (async () => {
        ready = false;
        await retention.stop();
        await pipeline.shutdown();
        tail.close();
        await http?.close();
        await store.close();
        logger.info('skein serve stopped');
      })()),
  };
}
