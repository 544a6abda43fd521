/** The Zipkin receiver: Zipkin's span collection API on its own port (9411 by default). */
import type { Receiver, ReceiverFactory } from '../../pipeline/component.js';
import { parseListenAddress } from '../../net/address.js';
import { listenHttp, type HttpListener } from '../http/listen.js';
import { createZipkinHandler } from './handler.js';

export interface ZipkinReceiverConfig {
  /** `host:port`, `:port`, `unix:/path` or `off`. */
  endpoint: string;
  maxBodyBytes?: number;
}

export const zipkinReceiverFactory: ReceiverFactory<ZipkinReceiverConfig> = {
  type: 'zipkin',
  createDefaultConfig: () => ({ endpoint: '127.0.0.1:9411' }),
  create(config, ctx, next): Receiver {
    const handle = createZipkinHandler(next, { maxBodyBytes: config.maxBodyBytes });
    let listener: HttpListener | undefined;
    return {
      get address() {
        return listener?.address;
      },
      async start() {
        const addr = parseListenAddress(config.endpoint, `${ctx.id} endpoint`);
        if (!addr) return;
        listener = await listenHttp(addr, (req, res) => void handle(req, res));
        ctx.logger.info({ address: listener.address }, 'Zipkin receiver listening');
      },
      async shutdown() {
        await listener?.close();
      },
    };
  },
};
