/** A real OTLP/HTTP receiver for tests: node:http on an ephemeral port, decoding with @skein/model. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeOtlpJson, decodeOtlpProto, type Span } from '@skein/model';

export interface Receiver {
  url: string;
  spans: Span[];
  requests: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = { url: '', spans: [], requests: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.requests++;
      const body = Buffer.concat(chunks);
      const json = (req.headers['content-type'] ?? '').includes('json');
      const d = json ? decodeOtlpJson(body.toString('utf8')) : decodeOtlpProto(body);
      r.spans.push(...d.spans);
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}
