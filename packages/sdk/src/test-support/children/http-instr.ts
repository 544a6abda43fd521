/** @opentelemetry/instrumentation-http through @skein/sdk: a server and a client in one connected trace. */
import { createRequire } from 'node:module';
import type NodeHttp from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { init } from '@skein/sdk';

const sdk = init();
const instr = new HttpInstrumentation();
instr.setTracerProvider(trace.getTracerProvider());
instr.enable();
// require() after enable(): require-in-the-middle patches the CommonJS module.
const http = createRequire(import.meta.url)('http') as typeof NodeHttp;

const server = http.createServer((req, res) => res.end('ok'));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
await trace.getTracer('client-app').startActiveSpan('client-op', async (span) => {
  await new Promise<void>((resolve, reject) => {
    http.get(`http://127.0.0.1:${port}/hello`, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
  console.log(`TRACE ${span.spanContext().traceId}`);
  span.end();
});
server.close();
await sdk.shutdown();
