/** OTLP/HTTP protobuf exporter over node:http(s) with a keep-alive agent. */

import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { ByteExporter } from './exporter.js';

/**
 * The host program must be able to exit while an export is pending: sockets stay unref'd, also
 * when the agent hands a kept-alive one to the next request (its documented hooks).
 */
function unrefAgent(agent: http.Agent): http.Agent {
  interface Hooks {
    createConnection(...args: unknown[]): net.Socket;
    reuseSocket(socket: net.Socket, req: http.ClientRequest): void;
  }
  const a = agent as unknown as Hooks;
  const create = a.createConnection.bind(a);
  const reuse = a.reuseSocket.bind(a);
  a.createConnection = (...args) => {
    const s = create(...args);
    s.unref();
    return s;
  };
  a.reuseSocket = (socket, req) => {
    reuse(socket, req);
    socket.unref();
  };
  return agent;
}

export class OtlpHttpExporter implements ByteExporter {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;

  constructor(
    readonly target: string,
    private readonly headers: Record<string, string> = {},
    private readonly timeoutMs = 10_000,
  ) {
    try {
      this.url = new URL(target);
    } catch {
      throw new Error(`skein: bad OTLP traces endpoint "${target}": expected an http(s) URL`);
    }
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new Error(`skein: bad OTLP traces endpoint "${target}": expected http: or https:`);
    }
    this.mod = this.url.protocol === 'https:' ? https : http;
    this.agent = unrefAgent(new this.mod.Agent({ keepAlive: true, maxSockets: 2 }));
  }

  send(body: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = this.mod.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, 'content-type': 'application/x-protobuf', 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            const settle = (): void => {
              if (code >= 200 && code < 300) resolve();
              else reject(new Error(`HTTP ${code}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
            };
            // The caller reuses `body` once this settles, so wait until it is written (or dropped).
            if (req.writableFinished || req.destroyed) settle();
            else {
              req.once('finish', settle);
              req.once('close', settle);
            }
          });
        },
      );
      // One plain timer per request: cheaper than the socket idle-timeout machinery of `timeout`.
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref();
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
