/**
 * The framed-stream receiver (`--framed ADDR`): for minimal agents that can open a socket and
 * write `length + OTLP protobuf` frames, with no HTTP or gRPC stack. TCP or unix socket.
 */
import net from 'node:net';
import type { Receiver, ReceiverFactory } from '../../pipeline/component.js';
import { parseListenAddress, type ListenAddress } from '../../net/address.js';
import { bindServer, explainListen } from '../../net/bind.js';
import { serveFramedConnection, newFramedStats, type FramedStats } from './connection.js';
import { DEFAULT_MAX_FRAME_BYTES, type HeaderBytes } from './frames.js';

export { encodeFrame, FrameDecoder, type HeaderBytes } from './frames.js';
export type { FramedStats } from './connection.js';

export interface FramedReceiverConfig {
  /** `host:port`, `:port`, `unix:/path` or `off`. */
  endpoint: string;
  /** 4 (u32, the default) or 8 (u64, as Kata's trace forwarder reads). */
  headerBytes?: HeaderBytes;
  maxFrameBytes?: number;
}

export interface StreamListener {
  server: net.Server;
  address: string;
  close(): Promise<void>;
}

/** Listens on TCP or a unix socket (removing a stale socket file first). */
export async function listenStream(address: ListenAddress, onConnection: (s: net.Socket) => void): Promise<StreamListener> {
  const server = net.createServer({ pauseOnConnect: true }, onConnection);
  const bound = await bindServer(server, address);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    server,
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Frames are acknowledged by nothing, so let senders finish the frame in flight.
        for (const s of sockets) s.end();
      }),
  };
}

export type FramedReceiver = Receiver & { readonly stats: FramedStats };

export const framedReceiverFactory: ReceiverFactory<FramedReceiverConfig> = {
  type: 'framed',
  createDefaultConfig: () => ({ endpoint: 'off', headerBytes: 4, maxFrameBytes: DEFAULT_MAX_FRAME_BYTES }),
  create(config, ctx, next): FramedReceiver {
    const stats = newFramedStats();
    let listener: StreamListener | undefined;
    const headerBytes = config.headerBytes ?? 4;
    if (headerBytes !== 4 && headerBytes !== 8) throw new Error(`${ctx.id}: header bytes must be 4 or 8, got ${String(headerBytes)}`);
    return {
      stats,
      get address() {
        return listener?.address;
      },
      async start() {
        const addr = parseListenAddress(config.endpoint, `${ctx.id} endpoint`);
        if (!addr) return;
        const o = { headerBytes, maxFrameBytes: config.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, logger: ctx.logger, stats, via: config.endpoint };
        listener = await explainListen(`${ctx.id} receiver`, config.endpoint, () => listenStream(addr, (s) => serveFramedConnection(s, next, o)));
        ctx.logger.info({ address: listener.address, headerBytes }, 'framed receiver listening');
      },
      async shutdown() {
        await listener?.close();
      },
    };
  },
};
