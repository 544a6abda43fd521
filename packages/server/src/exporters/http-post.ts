/** One HTTP request to a backend, mapped to the Sender error contract; shared by every HTTP sender. */
import http from 'node:http';
import https from 'node:https';
import { RetryableError } from '../pipeline/errors.js';
import { errorForNetwork, errorForStatus } from './otlp-http/status.js';

export interface HttpPostOptions {
  /** Extra request headers (auth, API keys). */
  headers?: Record<string, string>;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

/**
 * Parses a base URL and appends `path` unless the URL already ends in it; `what` names the
 * setting in errors (e.g. "zipkin URL"), `example` shows a good value.
 */
export function backendUrl(what: string, base: string, path: string, example = 'http://127.0.0.1:9411'): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`${what} "${base}" is not a URL like ${example}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${what} "${base}" must be http:// or https://`);
  if (!url.pathname.endsWith(path)) url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return url;
}

export interface Poster {
  post(body: Uint8Array, headers: Record<string, string>, signal?: AbortSignal, method?: string): Promise<void>;
  close(): void;
}

/** Keeps connections alive; rejects with RetryableError (network, timeout, 408/429/5xx) or PermanentError. */
export function createPoster(name: string, url: URL, opts: HttpPostOptions = {}): Poster {
  const lib = url.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 8 });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    post(body, headers, signal, method = 'POST') {
      const all = { ...headers, ...opts.headers, 'content-length': String(body.length) };
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new RetryableError(`${name}: aborted before sending`));
        const req = lib.request(url, { method, headers: all, agent, signal }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(errorForNetwork(name, err)));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const text = Buffer.concat(chunks).toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').trim();
            reject(errorForStatus(name, status, text, res.headers['retry-after']));
          });
        });
        req.setTimeout(timeoutMs, () => req.destroy(new RetryableError(`${name}: no answer within ${timeoutMs} ms`)));
        req.on('error', (err) => reject(err instanceof RetryableError ? err : errorForNetwork(name, err)));
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
