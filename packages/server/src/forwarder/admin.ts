/** `--http ADDR`: GET /healthz (200 once listening and the spool disk works, else 503) and GET /metrics. */
import type { ListenAddress } from '../net/address.js';
import { listenHttp, sendJson, type HttpListener } from '../receivers/http/listen.js';

export interface AdminSources {
  metrics(): string;
  health(): { ok: boolean; detail: Record<string, unknown> };
}

export function listenAdmin(address: ListenAddress, src: AdminSources): Promise<HttpListener> {
  return listenHttp(address, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
    if (path === '/metrics') {
      const body = src.metrics();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (path === '/healthz') {
      const h = src.health();
      return sendJson(res, h.ok ? 200 : 503, { status: h.ok ? 'ok' : 'unavailable', ...h.detail });
    }
    sendJson(res, 404, { error: `no such path ${path}: try /healthz or /metrics` });
  });
}
