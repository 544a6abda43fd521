/** Binds a node server (net or http) to a parsed listen address, the way every Skein listener does. */
import { unlink } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import { formatListenAddress, type ListenAddress } from './address.js';

/** Listens on TCP or a unix socket (removing a stale socket file first); resolves to the bound address, real port included. */
export async function bindServer(server: Server, address: ListenAddress): Promise<string> {
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
  if ('path' in address) return formatListenAddress(address);
  return formatListenAddress({ host: address.host, port: (server.address() as AddressInfo).port });
}
