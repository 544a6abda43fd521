/** The Datadog agent receiver: the trace intake tracers send to (8126 by default). */
import type { Receiver, ReceiverFactory } from '../../pipeline/component.js';
import { parseListenAddress } from '../../net/address.js';
import { listenHttp, type HttpListener } from '../http/listen.js';
import { createDatadogHandler, type DatadogStats } from './handler.js';

export interface DatadogReceiverConfig {
  /** `host:port`, `:port`, `unix:/path` or `off`. */
  endpoint: string;
  maxBodyBytes?: number;
  /** Keep traces whose sampling priority is <= 0 (default false: they are dropped and counted). */
  keepRejected?: boolean;
}

export interface DatadogReceiver extends Receiver {
  readonly stats: DatadogStats;
}

export const datadogReceiverFactory: ReceiverFactory<DatadogReceiverConfig> = {
  type: 'datadog',
  createDefaultConfig: () => ({ endpoint: '127.0.0.1:8126' }),
  create(config, ctx, next): DatadogReceiver {
    const stats: DatadogStats = { droppedTraces: 0, payloads: {} };
    const handle = createDatadogHandler(next, { maxBodyBytes: config.maxBodyBytes, keepRejected: config.keepRejected }, stats);
    let listener: HttpListener | undefined;
    return {
      stats,
      get address() {
        return listener?.address;
      },
      async start() {
        const addr = parseListenAddress(config.endpoint, `${ctx.id} endpoint`);
        if (!addr) return;
        listener = await listenHttp(addr, (req, res) => void handle(req, res));
        ctx.logger.info({ address: listener.address }, 'Datadog agent receiver listening');
      },
      async shutdown() {
        await listener?.close();
      },
    };
  },
};
