/** Starts node:http servers on `host:port` or unix-socket addresses. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenAddress } from '../../net/address.js';
import { bindServer } from '../../net/bind.js';

/** How long close() lets requests under way finish before cutting their connections. */
export const CLOSE_GRACE_MS = 2_000;

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpListener {
  server: Server;
  /** The bound address, with the real port when 0 was asked for. */
  address: string;
  close(): Promise<void>;
}

export async function listenHttp(address: ListenAddress, handler: HttpHandler): Promise<HttpListener> {
  const server = createServer({ keepAliveTimeout: 65_000 }, handler);
  const bound = await bindServer(server, address);
  return {
    server,
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        // Requests under way get a moment to finish; a client that stalls mid-request (or a
        // stream that never ends) must not hold the shutdown until the process is killed.
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
