/** Test receivers: a real OTLP/HTTP server and a framed unix socket, both decoding with the model's decoder. */

import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeOtlpProto } from '@skein/model';
import type { Span } from '@skein/model';

export interface Received {
  spans: Span[];
  requests: number;
  /** Resolves once at least `n` spans arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<Span[]>;
  close(): Promise<void>;
}

function collector(): { spans: Span[]; add(s: Span[]): void; waitFor(n: number, ms?: number): Promise<Span[]> } {
  const spans: Span[] = [];
  let waiters: { n: number; resolve: (s: Span[]) => void }[] = [];
  return {
    spans,
    add(s) {
      spans.push(...s);
      waiters = waiters.filter((w) => (spans.length >= w.n ? (w.resolve(spans), false) : true));
    },
    waitFor(n, ms = 10_000) {
      if (spans.length >= n) return Promise.resolve(spans);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${n} spans (have ${spans.length})`)), ms);
        waiters.push({ n, resolve: (s) => (clearTimeout(t), resolve(s)) });
      });
    },
  };
}

export async function startOtlpReceiver(): Promise<Received & { url: string }> {
  const c = collector();
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      requests++;
      try {
        c.add(decodeOtlpProto(Buffer.concat(chunks)).spans);
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } catch (e) {
        res.writeHead(400).end(String(e));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans: c.spans,
    get requests() {
      return requests;
    },
    waitFor: c.waitFor,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** A `skein forward --framed`-style listener: u32 big-endian length + ExportTraceServiceRequest. */
export async function startFramedReceiver(path: string): Promise<Received> {
  const c = collector();
  let requests = 0;
  const server = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        const len = buf.readUInt32BE(0);
        requests++;
        c.add(decodeOtlpProto(buf.subarray(4, 4 + len)).spans);
        buf = buf.subarray(4 + len);
      }
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(path, r));
  return {
    spans: c.spans,
    get requests() {
      return requests;
    },
    waitFor: c.waitFor,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Every span whose parent is not among `spans` (roots excepted): must be empty for complete traces. */
export function orphans(spans: Span[], allowedRemoteParents: Set<string> = new Set()): Span[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => s.parentSpanId !== '' && !ids.has(s.parentSpanId) && !allowedRemoteParents.has(s.parentSpanId));
}

export const attr = (s: Span, key: string): unknown => s.attributes.find((a) => a.key === key)?.value;
