/** Listener addresses as users write them: `host:port`, `:port`, `port`, `unix:/path` or `off`. */

export type ListenAddress = { host: string; port: number } | { path: string };

export const DEFAULT_HOST = '127.0.0.1';

/**
 * Parses a listener address; a bare port or `:port` binds 127.0.0.1 (security by default).
 * Returns undefined for `off`. Throws an Error naming the flag for anything else.
 */
export function parseListenAddress(text: string, what = 'address'): ListenAddress | undefined {
  const s = text.trim();
  if (s === 'off' || s === '') return undefined;
  if (s.startsWith('unix:')) {
    const path = s.slice(5);
    if (!path) throw new Error(`${what}: "unix:" needs a socket path, e.g. unix:/run/skein.sock`);
    return { path };
  }
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`${what}: "${text}" is not host:port, :port, unix:/path or off`);
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : DEFAULT_HOST;
  return { host, port };
}

export function formatListenAddress(a: ListenAddress): string {
  return 'path' in a ? `unix:${a.path}` : `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
