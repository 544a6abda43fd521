/**
 * The Jaeger agent's UDP ports: Agent.emitBatch over the compact (6831) or binary (6832) thrift
 * protocol. UDP has no answer, so bad packets and refused batches are counted and logged, never
 * answered; the socket keeps reading.
 */
import { createSocket, type Socket } from 'node:dgram';
import { decodeJaegerEmitBatch } from '@skein/model';
import type { Receiver, ReceiverFactory } from '../../pipeline/component.js';
import { parseListenAddress } from '../../net/address.js';
import { explainListen } from '../../net/bind.js';

export interface JaegerUdpReceiverConfig {
  /** `host:port`, `:port` or `off`. */
  endpoint: string;
}

export interface JaegerUdpStats {
  packets: number;
  spans: number;
  /** Packets that did not decode. */
  malformed: number;
  /** Spans the pipeline refused (overload, bad data). */
  refusedSpans: number;
  lastError: string;
}

export interface JaegerUdpReceiver extends Receiver {
  readonly stats: JaegerUdpStats;
}

/** Logs the first failure and then one in every 1000, so a flood of garbage does not flood the log. */
const shouldLog = (n: number) => n === 1 || n % 1000 === 0;

function udpFactory(type: string, protocol: 'compact' | 'binary', port: number): ReceiverFactory<JaegerUdpReceiverConfig> {
  return {
    type,
    createDefaultConfig: () => ({ endpoint: `127.0.0.1:${port}` }),
    create(config, ctx, next): JaegerUdpReceiver {
      const stats: JaegerUdpStats = { packets: 0, spans: 0, malformed: 0, refusedSpans: 0, lastError: '' };
      const inflight = new Set<Promise<void>>();
      let socket: Socket | undefined;
      let address: string | undefined;
      const onMessage = (msg: Buffer) => {
        stats.packets++;
        let spans;
        try {
          spans = decodeJaegerEmitBatch(msg, protocol);
        } catch (err) {
          stats.malformed++;
          stats.lastError = `malformed ${protocol} emitBatch packet: ${(err as Error).message}`;
          if (shouldLog(stats.malformed)) ctx.logger.warn({ malformed: stats.malformed }, stats.lastError);
          return;
        }
        if (spans.length === 0) return;
        const p = next.consume(spans).then(
          () => {
            stats.spans += spans.length;
          },
          (err: unknown) => {
            stats.refusedSpans += spans.length;
            stats.lastError = `pipeline refused ${spans.length} spans: ${(err as Error).message}`;
            if (shouldLog(stats.refusedSpans)) ctx.logger.warn({ refused: stats.refusedSpans }, stats.lastError);
          },
        );
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
      };
      return {
        stats,
        get address() {
          return address;
        },
        async start() {
          const addr = parseListenAddress(config.endpoint, `${ctx.id} endpoint`);
          if (!addr) return;
          if ('path' in addr) throw new Error(`${ctx.id} endpoint: UDP cannot listen on a unix socket (${config.endpoint})`);
          const s = createSocket({ type: addr.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 4 << 20 });
          await explainListen(`${ctx.id} receiver`, config.endpoint, () =>
            new Promise<void>((resolve, reject) => {
              s.once('error', reject);
              s.bind(addr.port, addr.host, () => {
                s.off('error', reject);
                resolve();
              });
            }),
          );
          s.on('message', onMessage);
          s.on('error', (err) => ctx.logger.error({ err }, `${type} socket error`));
          socket = s;
          const bound = s.address();
          address = `${addr.host.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`;
          ctx.logger.info({ address }, `Jaeger UDP ${protocol} receiver listening`);
        },
        async shutdown() {
          if (socket) await new Promise<void>((r) => socket!.close(() => r()));
          socket = undefined;
          await Promise.allSettled([...inflight]);
        },
      };
    },
  };
}

export const jaegerCompactReceiverFactory = udpFactory('jaeger-compact', 'compact', 6831);
export const jaegerBinaryReceiverFactory = udpFactory('jaeger-binary', 'binary', 6832);
