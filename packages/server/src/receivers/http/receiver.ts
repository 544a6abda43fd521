/** The factory, listen and shutdown scaffolding every HTTP receiver shares; each receiver supplies its handler. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ComponentContext, Consumer, Receiver, ReceiverFactory } from '../../pipeline/component.js';
import { parseListenAddress } from '../../net/address.js';
import { explainListen } from '../../net/bind.js';
import { listenHttp, type HttpListener } from './listen.js';

/** Serves one request; a returned promise is not awaited (handlers answer errors themselves). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** What every HTTP receiver's config holds; receivers may add their own fields. */
export interface HttpReceiverConfig {
  /** `host:port`, `:port`, `unix:/path` or `off`. */
  endpoint: string;
  maxBodyBytes?: number;
}

/** A receiver that listens on `config.endpoint` (nothing when `off`) and serves every request with `handle`. */
export function httpReceiver(config: HttpReceiverConfig, ctx: ComponentContext, name: string, handle: RequestHandler): Receiver {
  let listener: HttpListener | undefined;
  return {
    get address() {
      return listener?.address;
    },
    async start() {
      const addr = parseListenAddress(config.endpoint, `${ctx.id} endpoint`);
      if (!addr) return;
      listener = await explainListen(`${ctx.id} receiver`, config.endpoint, () => listenHttp(addr, (req, res) => void handle(req, res)));
      ctx.logger.info({ address: listener.address }, `${name} listening`);
    },
    async shutdown() {
      await listener?.close();
    },
  };
}

/**
 * A ReceiverFactory of `type` whose default endpoint is `defaultEndpoint` (a 127.0.0.1 address);
 * `makeHandler` builds the request handler for one receiver instance.
 */
export function httpReceiverFactory<C extends HttpReceiverConfig>(
  type: string,
  defaultEndpoint: string,
  name: string,
  makeHandler: (config: C, next: Consumer) => RequestHandler,
): ReceiverFactory<C> {
  return {
    type,
    // Every other field of an HTTP receiver's config is optional, so the endpoint alone is a whole default.
    createDefaultConfig: () => ({ endpoint: defaultEndpoint }) as C,
    create: (config, ctx, next) => httpReceiver(config, ctx, name, makeHandler(config, next)),
  };
}
