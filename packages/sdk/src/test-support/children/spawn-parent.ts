/** Parent: a span around children started through the SDK's spawn/execFile wrappers, and one started without context. */
import cp from 'node:child_process';
import { trace } from '@opentelemetry/api';
import { execFile, init, spawn } from '@skein/sdk';
import { cleanEnv, childScript, NODE_ARGS } from '../child.js';

const sdk = init();
const tracer = trace.getTracer('parent');
const wait = (p: cp.ChildProcess) => new Promise((r) => p.on('exit', r));

await tracer.startActiveSpan('parent-op', async (span) => {
  console.log(`PARENT ${span.spanContext().traceId} ${span.spanContext().spanId}`);
  const env = { ...process.env, CHILD_NAME: 'spawned' };
  await wait(spawn(process.execPath, [...NODE_ARGS, childScript('spawn-child.ts')], { env, stdio: 'inherit' }));
  await wait(execFile(process.execPath, [...NODE_ARGS, childScript('spawn-child.ts')], { env: { ...env, CHILD_NAME: 'execfile' } }));
  span.end();
});
// A child started without the helpers (and without TRACEPARENT) makes its own trace.
const bare = cleanEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT!, CHILD_NAME: 'bare', OTEL_SERVICE_NAME: 'child' });
await wait(cp.spawn(process.execPath, [...NODE_ARGS, childScript('spawn-child.ts')], { env: bare, stdio: 'inherit' }));
await sdk.shutdown();
