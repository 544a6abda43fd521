/**
 * HTTP for the CLI's short commands, through node:http(s) rather than fetch: Node 20 loads
 * fetch's implementation (undici) at its first call, which cost `skein services` ~250 ms of its
 * ~430 (hyperfine: `node -e "fetch(...)"` 343 ms, the same GET through node:http 93 ms).
 */
import type { IncomingMessage } from 'node:http';
import { deferredCa } from '../export/extra-ca.js';

export interface RequestInit {
  method?: string;
  headers?: Record<string, string | number>;
  body?: Uint8Array;
  /** No answer (or no data) for this long fails the request. */
  timeoutMs?: number;
}

/** Sends a request and resolves with the response, its body unread (a stream, for tail). */
export async function open(url: string, init: RequestInit = {}): Promise<IncomingMessage> {
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const headers = init.body ? { 'content-length': init.body.length, ...init.headers } : init.headers;
    const req = request(url, { method: init.method ?? 'GET', headers, ca: deferredCa() }, resolve);
    if (init.timeoutMs) req.setTimeout(init.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${init.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.once('error', reject);
    req.end(init.body);
  });
}

/** Sends a request and reads the whole answer as text. */
export async function send(url: string, init: RequestInit = {}): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  const res = await open(url, init);
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) text += chunk as string;
  return { status: res.statusCode ?? 0, headers: res.headers, text };
}
