/** Test helpers: spans built field by field, and the query router on a real HTTP server. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyValue, Resource, Scope, Span } from '@skein/model';
import { testResource, testScope, testSpan } from '../../../../model/src/test-support/spans.js';
import { MemoryStore } from '../../store/memory/index.js';
import { createQueryRouter } from '../router.js';

export const resource = (service: string, attrs: KeyValue[] = []): Resource => testResource(service, attrs);

export const scope = (name = 'test-lib', version = '1.2.3'): Scope => testScope(name, version);

export function span(p: Partial<Span> & { traceId: string; spanId: string }): Span {
  return testSpan({
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_001_000_000n,
    resource: resource('svc'),
    scope: scope(),
    ...p,
  });
}

 
export interface TestApi {
  store: MemoryStore;
  base: string;
  get(path: string): Promise<{ status: number; type: string; body: any; text: string }>;
  post(path: string, body: string): Promise<{ status: number; type: string; body: any; text: string }>;
  close(): Promise<void>;
}
 

/** A MemoryStore holding `spans`, served by the query router on 127.0.0.1 and an ephemeral port. */
export async function startApi(spans: Span[], opts: { maxLimit?: number; maxBodyBytes?: number } = {}): Promise<TestApi> {
  const store = new MemoryStore();
  await store.write(spans);
  const router = createQueryRouter({ reader: store, ...opts });
  const server: Server = createServer((req, res) => {
    router(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not the query API');
        }
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(base + path, init);
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', body, text };
  };
  return {
    store,
    base,
    get: (path) => call(path),
    post: (path, body) => call(path, { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
