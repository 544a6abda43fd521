/**
 * `skein forward`: listeners (OTLP HTTP/gRPC on TCP or unix sockets, framed stream, hybrid vsock)
 * -> durable spool -> destinations. Acceptance never depends on a destination; SIGHUP re-reads
 * `--config` and changes destinations without dropping connections or spooled data.
 */
import { unwatchFile, watchFile } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { Receiver } from './pipeline/component.js';
import { Pipeline } from './pipeline/pipeline.js';
import { parseListenAddress } from './net/address.js';
import { explainListen } from './net/bind.js';
import { destinationKind, senderFromUrl } from './exporters/registry.js';
import type { Sender } from './exporters/sender.js';
import type { RetryOptions } from './exporters/retry.js';
import { otlpHttpReceiverFactory } from './receivers/otlp-http/index.js';
import { otlpGrpcReceiverFactory } from './receivers/otlp-grpc/index.js';
import { framedReceiverFactory, type FramedReceiver } from './receivers/framed/index.js';
import { hybridVsockReceiverFactory, type HybridVsockReceiver } from './receivers/framed/hybrid-vsock.js';
import { Forwarder, type DestinationSpec } from './forwarder/forwarder.js';
import { renderMetrics } from './forwarder/metrics.js';
import { listenAdmin } from './forwarder/admin.js';
import { resolveSettings, type ForwardOptions, type ForwardSettings } from './forwarder/settings.js';
import type { HttpListener } from './receivers/http/listen.js';

export type { ForwardOptions } from './forwarder/settings.js';

export interface RunForwardOptions extends ForwardOptions {
  logger?: Logger;
  /** Install SIGHUP (reload) and SIGTERM/SIGINT (clean shutdown) handlers; default false. */
  handleSignals?: boolean;
  retry?: RetryOptions;
}

export interface ForwardHandle {
  forwarder: Forwarder;
  /** Bound addresses by listener: otlpHttp, otlpGrpc, framed, hybridVsock, http. */
  addresses: Record<string, string>;
  metrics(): string;
  /** Re-reads --config (flags stay) and applies the destinations. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

function buildSpecs(s: ForwardSettings): { specs: DestinationSpec[]; unused: Set<Sender> } {
  const unused = new Set<Sender>();
  const specs = s.destinations.map((d) => {
    const group = s.routeByTrace ? destinationKind(d.url).replace('otlp-https', 'otlp-http') : undefined;
    // Built now so that a bad URL fails the start or the reload before anything changes.
    const sender = senderFromUrl(d.url, { headers: d.headers });
    unused.add(sender);
    return {
      name: d.name,
      url: `${d.url}${d.headers ? ` ${JSON.stringify(d.headers)}` : ''}`,
      group,
      createSender: () => {
        unused.delete(sender);
        return sender;
      },
    };
  });
  return { specs, unused };
}

async function applyDestinations(fwd: Forwarder, s: ForwardSettings, start: 'head' | 'tail'): Promise<void> {
  const { specs, unused } = buildSpecs(s);
  try {
    await fwd.setDestinations(specs, start);
  } finally {
    for (const sender of unused) await sender.close?.();
  }
}

export async function runForward(opts: RunForwardOptions): Promise<ForwardHandle> {
  const logger = opts.logger ?? pino({ name: 'skein-forward' });
  let settings = await resolveSettings(opts);
  if (settings.destinations.length === 0) throw new Error('no destination: give --to URL (repeatable) or exporters in --config');
  const fwd = await Forwarder.open({
    spool: { dir: settings.spoolDir, maxBytes: settings.spoolMax, fsync: settings.fsync, whenFull: settings.whenFull },
    logger,
    retry: opts.retry,
  });
  // The same engine as serve: receivers -> (no processors) -> the spool, which acknowledges
  // a batch once it is on disk.
  const pipeline = new Pipeline([], [fwd]);
  const receivers: Array<{ key: string; r: Receiver }> = [];
  let admin: HttpListener | undefined;
  try {
    await applyDestinations(fwd, settings, 'head');
    const frameCfg = { headerBytes: settings.headerBytes, maxFrameBytes: settings.maxFrameBytes };
    const add = (key: string, r: Receiver) => receivers.push({ key, r });
    add('otlpHttp', otlpHttpReceiverFactory.create({ endpoint: settings.otlpHttp }, { logger, id: 'otlp-http' }, pipeline.head));
    add('otlpGrpc', otlpGrpcReceiverFactory.create({ endpoint: settings.otlpGrpc }, { logger, id: 'otlp-grpc' }, pipeline.head));
    add('framed', framedReceiverFactory.create({ endpoint: settings.framed, ...frameCfg }, { logger, id: 'framed' }, pipeline.head));
    if (settings.hybridVsock) {
      add('hybridVsock', hybridVsockReceiverFactory.create({ path: settings.hybridVsock, ...frameCfg }, { logger, id: 'hybrid-vsock' }, pipeline.head));
    }
    await pipeline.start(receivers.map(({ r }) => r));
  } catch (err) {
    await pipeline.shutdown();
    await fwd.close();
    throw err;
  }

  const listenerStats = () => {
    const out: Record<string, number> = {};
    for (const { key, r } of receivers) {
      const st = (r as Partial<FramedReceiver | HybridVsockReceiver>).stats;
      if (!st) continue;
      const p = key === 'framed' ? 'framed' : 'hybrid_vsock';
      out[`${p}_connections_total`] = st.connections;
      out[`${p}_frames_total`] = st.frames;
      out[`${p}_bad_frames_total`] = st.badFrames;
      out[`${p}_oversized_frames_total`] = st.oversized;
      out[`${p}_refused_frames_total`] = st.refusedFrames;
    }
    return out;
  };
  const metrics = () => renderMetrics(fwd, listenerStats());
  const adminAddr = parseListenAddress(settings.http, '--http');
  if (adminAddr) {
    admin = await explainListen('--http (health and metrics)', settings.http, () =>
      listenAdmin(adminAddr, {
        metrics,
        health: () => ({ ok: fwd.spool.healthy, detail: { spoolHealthy: fwd.spool.healthy, destinations: fwd.destinations.size } }),
      }),
    );
  }
  const addresses: Record<string, string> = {};
  for (const { key, r } of receivers) if (r.address) addresses[key] = r.address;
  if (admin) addresses.http = admin.address;
  logger.info({ addresses, destinations: settings.destinations.map((d) => d.name), spool: settings.spoolDir }, 'skein forward running');

  const reload = async () => {
    const next = await resolveSettings(opts);
    for (const k of ['otlpHttp', 'otlpGrpc', 'framed', 'hybridVsock', 'http', 'spoolDir'] as const) {
      if (next[k] !== settings[k]) logger.warn({ setting: k }, 'reload: listener and spool changes take effect on restart');
    }
    await applyDestinations(fwd, next, 'tail');
    settings = next;
    logger.info({ destinations: next.destinations.map((d) => d.name) }, 'reloaded destinations');
  };

  let closing: Promise<void> | undefined;
  const onHup = () => void reload().catch((err: Error) => logger.error({ err: err.message }, 'reload failed; keeping the previous destinations'));
  const onStop = () => void close().then(() => process.exit(0));
  const onFileChange = (cur: { mtimeMs: number }, prev: { mtimeMs: number }) => {
    if (cur.mtimeMs !== prev.mtimeMs) onHup();
  };
  if (opts.config && opts.watchConfig) watchFile(opts.config, { interval: 1000, persistent: false }, onFileChange);
  const close = () =>
    (closing ??= (async () => {
      if (opts.config && opts.watchConfig) unwatchFile(opts.config, onFileChange);
      if (opts.handleSignals) {
        process.off('SIGHUP', onHup);
        process.off('SIGTERM', onStop);
        process.off('SIGINT', onStop);
      }
      // Receivers first so nothing new arrives, then the spool keeps whatever was accepted.
      await pipeline.shutdown();
      await fwd.close();
      await admin?.close();
    })());
  if (opts.handleSignals) {
    process.on('SIGHUP', onHup);
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
  }
  return { forwarder: fwd, addresses, metrics, reload, close };
}
