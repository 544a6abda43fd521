/** Dynamic mode's switches: a signal that toggles tracing and a small HTTP control endpoint (TCP or unix socket). */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SpanMetrics } from './metrics.js';

export interface Switch {
  enabled(): boolean;
  set(on: boolean): void;
}

/** Toggles on every `signal`; returns the function that removes the handler. */
export function installSignalToggle(signal: NodeJS.Signals, sw: Switch): () => void {
  const h = (): void => sw.set(!sw.enabled());
  process.on(signal, h);
  return () => void process.off(signal, h);
}

/**
 * `GET /tracing` -> {"enabled":bool}; `POST /tracing/on|off|toggle`; `GET /metrics` -> Prometheus text.
 * `where` is `unix:/path`, `host:port` or `:port` (host defaults to 127.0.0.1; port 0 picks one).
 */
export async function startControl(where: string, sw: Switch, metrics: SpanMetrics | null): Promise<{ address: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const reply = (code: number, body: string, type = 'application/json'): void => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (url === '/metrics' && metrics) return reply(200, metrics.prometheus(), 'text/plain; version=0.0.4');
    const m = /^\/tracing(?:\/(on|off|toggle))?$/.exec(url ?? '');
    if (!m) return reply(404, JSON.stringify({ error: `unknown path ${url}: use /tracing, /tracing/on, /tracing/off, /tracing/toggle or /metrics` }));
    if (m[1]) {
      if (req.method !== 'POST' && req.method !== 'PUT') return reply(405, JSON.stringify({ error: `use POST for ${url}` }));
      sw.set(m[1] === 'toggle' ? !sw.enabled() : m[1] === 'on');
    }
    reply(200, JSON.stringify({ enabled: sw.enabled() }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`skein: cannot listen for control on "${where}": ${e.message}`)));
    if (where.startsWith('unix:')) server.listen(where.slice(5), resolve);
    else {
      const i = where.lastIndexOf(':');
      const port = Number(where.slice(i + 1));
      if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
        reject(new Error(`skein: bad SKEIN_CONTROL "${where}": expected unix:/path, host:port or :port`));
        return;
      }
      server.listen(port, where.slice(0, i) || '127.0.0.1', resolve);
    }
  });
  server.unref();
  const a = server.address();
  const address = typeof a === 'string' ? `unix:${a}` : `${(a as AddressInfo).address}:${(a as AddressInfo).port}`;
  return { address, close: () => new Promise<void>((r) => server.close(() => r())) };
}
