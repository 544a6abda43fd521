/** Binds a node server (net or http) to a parsed listen address, the way every Skein listener does. */
import { unlink } from 'node:fs/promises';
import { connect, type AddressInfo, type Server } from 'node:net';
import { formatListenAddress, type ListenAddress } from './address.js';

/** Listens on TCP or a unix socket (removing a stale socket file first); resolves to the bound address, real port included. */
export async function bindServer(server: Server, address: ListenAddress): Promise<string> {
  if ('path' in address) await removeStaleSocket(address.path);
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

/**
 * Removes a unix socket file left by a process that is gone, so that listening there succeeds.
 * A socket that still answers belongs to a live listener: taking its path would cut it off from
 * every new client without a word, so that fails as EADDRINUSE, as a TCP port in use does.
 */
export async function removeStaleSocket(path: string): Promise<void> {
  const answered = await new Promise<boolean>((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (answered) throw Object.assign(new Error(`listen EADDRINUSE: address already in use ${path}`), { code: 'EADDRINUSE' });
  await unlink(path).catch(() => {});
}

/** Runs a listener's start; a failure to listen says which listener, where, and what to do. */
export async function explainListen<T>(what: string, endpoint: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    throw listenError(err, what, endpoint);
  }
}

function listenError(err: unknown, what: string, endpoint: string): Error {
  const text = err instanceof Error ? err.message : String(err);
  // grpc-js reports bind failures in its message only
  const code = (err as NodeJS.ErrnoException).code ?? /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL)\b/.exec(text)?.[1];
  const why =
    code === 'EADDRINUSE' ? 'the address is in use (another skein or collector running there?)'
    : code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)'
    : code === 'EADDRNOTAVAIL' ? 'no network interface of this machine has that address'
    : text;
  return new Error(`${what} cannot listen on ${endpoint}: ${why}; give it another address, or off`, { cause: err });
}
