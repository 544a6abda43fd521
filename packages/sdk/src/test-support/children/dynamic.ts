/** Dynamic mode under concurrent load: traces of nested async spans run while tests toggle tracing. */
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { init } from '@skein/sdk';

const sdk = init({ mode: 'dynamic' });
const tracer = trace.getTracer('dyn');
console.log(`CONTROL ${await sdk.control}`);

async function oneTrace(i: number): Promise<void> {
  await tracer.startActiveSpan(`root-${i % 5}`, async (root) => {
    for (let k = 0; k < 3; k++) {
      await tracer.startActiveSpan('step', async (s) => {
        await sleep(1 + (i % 3));
        await tracer.startActiveSpan('leaf', async (l) => {
          await sleep(1);
          l.end();
        });
        s.end();
      });
    }
    root.end();
  });
}

let stop = false;
process.on('SIGTERM', () => void (stop = true));
let i = 0;
const workers = Array.from({ length: 20 }, async () => {
  while (!stop) await oneTrace(i++);
});
console.log('READY');
await Promise.all(workers);
await sdk.shutdown();
console.log(`DONE ${i}`);
