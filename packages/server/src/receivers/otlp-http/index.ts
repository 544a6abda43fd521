/** The OTLP/HTTP receiver: POST /v1/traces on its own port (4318 by default). */
import type { ReceiverFactory, Receiver } from '../../pipeline/component.js';
import { parseListenAddress } from '../../net/address.js';
import { listenHttp, sendJson, type HttpListener } from '../http/listen.js';
import { createOtlpHttpHandler, OTLP_TRACES_PATH } from './handler.js';

export interface OtlpHttpReceiverConfig {
  /** `host:port`, `:port`, `unix:/path` or `off`. */
  endpoint: string;
  maxBodyBytes?: number;
}

export const otlpHttpReceiverFactory: ReceiverFactory<OtlpHttpReceiverConfig> = {
  type: 'otlp-http',
  createDefaultConfig: () => ({ endpoint: '127.0.0.1:4318' }),
  create(config, ctx, next): Receiver {
    const handle = createOtlpHttpHandler(next, { maxBodyBytes: config.maxBodyBytes });
    let listener: HttpListener | undefined;
    return {
      get address() {
        return listener?.address;
      },
      async start() {
        const addr = parseListenAddress(config.endpoint, `${ctx.id} endpoint`);
        if (!addr) return;
        listener = await listenHttp(addr, (req, res) => {
          const path = (req.url ?? '/').split('?')[0];
          if (path === OTLP_TRACES_PATH) void handle(req, res);
          else sendJson(res, 404, { code: 5, message: `no such path ${path}: OTLP traces go to POST ${OTLP_TRACES_PATH}` });
        });
        ctx.logger.info({ address: listener.address }, 'OTLP/HTTP receiver listening');
      },
      async shutdown() {
        await listener?.close();
      },
    };
  },
};
