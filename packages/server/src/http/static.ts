/** Serves the built web UI (packages/ui/dist), with index.html for client-side routes. */
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export const UI_DIST = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

const FALLBACK_PAGE = `<!doctype html><meta charset="utf-8"><title>Skein</title>
<body style="font-family:system-ui;margin:3em">
<h1>Skein</h1><p>The web UI is not built (run <code>npm run build</code>).</p>
<p>The Jaeger-compatible query API is at <a href="/api/services">/api/services</a>,
<code>/api/traces</code>, <code>/api/v3/*</code>; health at <a href="/healthz">/healthz</a>.</p>`;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function createStaticHandler(root = UI_DIST) {
  const built = existsSync(join(root, 'index.html'));
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!built) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS }).end(FALLBACK_PAGE);
      return;
    }
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    let file = normalize(join(root, path));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) file = join(root, 'index.html');
    let info = await stat(file).catch(() => undefined);
    // Client-side routes (/search, /trace/{id}) get the app shell; a missing asset is a 404.
    if (!info?.isFile()) {
      if (extname(path) && path.startsWith('/assets/')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no such file ${path}`);
        return;
      }
      file = join(root, 'index.html');
      info = await stat(file);
    }
    const hashed = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}
