/**
 * A component instrumented with @skein/sdk: `OTEL_SERVICE_NAME=worker SKEIN_TRACE_LEVEL=info,storage=debug
 * SKEIN_TRACE_MODE=dynamic SKEIN_CONTROL=:7070 npx tsx examples/sdk/worker.ts`, then `kill -USR2 <pid>` or
 * `curl -XPOST 127.0.0.1:7070/tracing/on` to start tracing new iterations.
 */
import { component, execFile, init } from '@skein/sdk';

const sdk = init();
const loop = component('worker');
const storage = component('storage');

for (let i = 0; i < 5; i++) {
  await loop.iteration(async () => {
    await loop.stage('read', () => storage.span('debug', 'storage.get', async () => 'row'));
    await loop.stage('process', () => new Promise<void>((r) => execFile('true', [], () => r())));
    loop.stage('send', () => {});
  });
}
console.log(sdk.metrics?.prometheus() ?? 'tracing disabled');
await sdk.shutdown();
