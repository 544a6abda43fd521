/**
 * Hybrid vsock (`--hybrid-vsock PATH:PORT`): Firecracker and Cloud Hypervisor hand a guest's
 * connection to vsock port P to the host unix socket `PATH_P`. Skein listens there and sniffs the
 * first bytes: an HTTP request line is served as OTLP/HTTP (POST /v1/traces), anything else is
 * read as framed OTLP. A frame length can never look like "POST"/"GET " because those would mean
 * frames of over 1 GB, above any allowed frame size.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Receiver, ReceiverFactory } from '../../pipeline/component.js';
import { createOtlpHttpHandler, OTLP_TRACES_PATH } from '../otlp-http/handler.js';
import { sendJson } from '../http/listen.js';
import { serveFramedConnection, newFramedStats, type FramedStats } from './connection.js';
import { DEFAULT_MAX_FRAME_BYTES, type HeaderBytes } from './frames.js';
import { listenStream, type StreamListener } from './index.js';
import { explainListen } from '../../net/bind.js';

export interface HybridVsockReceiverConfig {
  /** `PATH:PORT`, as given to the VMM (`uds_path`) and used by the guest (vsock port). */
  path: string;
  headerBytes?: HeaderBytes;
  maxFrameBytes?: number;
}

/** The unix socket a guest connection to `port` arrives on: `<uds_path>_<port>`. */
export function hybridVsockSocketPath(spec: string): string {
  const m = /^(.+):(\d{1,10})$/.exec(spec.trim());
  if (!m || Number(m[2]) > 0xffffffff) throw new Error(`--hybrid-vsock "${spec}" is not PATH:PORT, e.g. /run/vm/vsock.sock:4317`);
  return `${m[1]}_${m[2]}`;
}

/** Largest frame allowed: below 0x41000000 so that no frame header can read as ASCII "A..." */
const MAX_SNIFFABLE_FRAME = 0x40000000;

export type HybridVsockReceiver = Receiver & { readonly stats: FramedStats & { httpConnections: number } };

export const hybridVsockReceiverFactory: ReceiverFactory<HybridVsockReceiverConfig> = {
  type: 'hybrid-vsock',
  createDefaultConfig: () => ({ path: '', headerBytes: 4, maxFrameBytes: DEFAULT_MAX_FRAME_BYTES }),
  create(config, ctx, next): HybridVsockReceiver {
    const stats = { ...newFramedStats(), httpConnections: 0 };
    const socketPath = hybridVsockSocketPath(config.path);
    const maxFrameBytes = Math.min(config.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, MAX_SNIFFABLE_FRAME);
    const o = { headerBytes: config.headerBytes ?? 4, maxFrameBytes, logger: ctx.logger, stats, via: `hybrid-vsock ${socketPath}` };
    const handle = createOtlpHttpHandler(next);
    const httpServer = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      const p = (req.url ?? '/').split('?')[0];
      if (p === OTLP_TRACES_PATH) void handle(req, res);
      else sendJson(res, 404, { code: 5, message: `no such path ${p}: OTLP traces go to POST ${OTLP_TRACES_PATH}` });
    });
    let listener: StreamListener | undefined;

    const sniff = (socket: Socket) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        if (head.length < 4) return;
        socket.off('data', onData);
        socket.pause();
        const start = head.subarray(0, 4).toString('latin1');
        if (/^[A-Z]{3,4}[ A-Z]$/.test(start)) {
          if (start === 'PRI ') {
            ctx.logger.warn({ via: o.via }, 'hybrid-vsock: HTTP/2 (gRPC) is not spoken here; use OTLP/HTTP or framed');
            socket.destroy();
            return;
          }
          stats.httpConnections++;
          socket.unshift(head);
          httpServer.emit('connection', socket);
          socket.resume();
          return;
        }
        serveFramedConnection(socket, next, o, head);
      };
      socket.on('data', onData);
      socket.on('error', () => undefined);
      socket.resume();
    };

    return {
      stats,
      get address() {
        return listener ? `hybrid-vsock ${listener.address}` : undefined;
      },
      async start() {
        listener = await explainListen(`${ctx.id} receiver`, socketPath, () => listenStream({ path: socketPath }, sniff));
        ctx.logger.info({ socket: socketPath }, 'hybrid vsock receiver listening (OTLP/HTTP or framed)');
      },
      async shutdown() {
        httpServer.closeIdleConnections();
        await listener?.close();
      },
    };
  },
};
