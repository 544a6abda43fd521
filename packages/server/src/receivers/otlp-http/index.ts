/** The OTLP/HTTP receiver: POST /v1/traces on its own port (4318 by default). */
import { httpReceiverFactory, type HttpReceiverConfig } from '../http/receiver.js';
import { sendJson } from '../http/listen.js';
import { createOtlpHttpHandler, OTLP_TRACES_PATH } from './handler.js';

export type OtlpHttpReceiverConfig = HttpReceiverConfig;

export const otlpHttpReceiverFactory = httpReceiverFactory<OtlpHttpReceiverConfig>('otlp-http', '127.0.0.1:4318', 'OTLP/HTTP receiver', (config, next) => {
  const handle = createOtlpHttpHandler(next, { maxBodyBytes: config.maxBodyBytes });
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === OTLP_TRACES_PATH) void handle(req, res);
    else sendJson(res, 404, { code: 5, message: `no such path ${path}: OTLP traces go to POST ${OTLP_TRACES_PATH}` });
  };
});
