/** Static mode: spans queued, then the process is ended by SIGTERM/SIGINT or process.exit(); none may be lost. */
import { trace } from '@opentelemetry/api';
import { init } from '@skein/sdk';

// A long interval keeps the queue's timer from flushing before the end of the process.
init({ flushIntervalMs: 60_000, batchSize: 10_000 });
const tracer = trace.getTracer('signal');
const n = Number(process.env.SPANS ?? '50');
for (let i = 0; i < n; i++) tracer.startSpan(`work-${i}`).end();
if (process.env.HOW === 'exit') process.exit(0);
setInterval(() => {}, 1000);
console.log('READY');
