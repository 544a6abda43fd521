/** Starts node:http servers on `host:port` or unix-socket addresses. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { unlink } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { formatListenAddress, type ListenAddress } from '../../net/address.js';

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpListener {
  server: Server;
  /** The bound address, with the real port when 0 was asked for. */
  address: string;
  close(): Promise<void>;
}

export async function listenHttp(address: ListenAddress, handler: HttpHandler): Promise<HttpListener> {
  const server = createServer({ keepAliveTimeout: 65_000 }, handler);
  if ('path' in address) await unlink(address.path).catch(() => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in address) server.listen(address.path, done);
    else server.listen(address.port, address.host, done);
  });
  const bound = server.address();
  const actual: ListenAddress =
    'path' in address ? address : { host: address.host, port: (bound as AddressInfo).port };
  return {
    server,
    address: formatListenAddress(actual),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
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
