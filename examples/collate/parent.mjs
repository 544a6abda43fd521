#!/usr/bin/env node
// A parent (standing in for an operator that creates containers or pods) starts child
// processes and hands each one the trace context through its environment, as the LitmusChaos
// tracing proposal does for chaos-experiment pods. Every child reports its own spans with
// `skein exec`; all of them collate into one trace under the parent's background span.
//
//   node examples/collate/parent.mjs            # then: skein search --service chaos-operator
//   SKEIN="node packages/cli/bin/skein.js" node examples/collate/parent.mjs
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [skeinCmd, ...skeinArgs] = (process.env.SKEIN || 'skein').split(' ');
const skein = (...args) => execFileSync(skeinCmd, [...skeinArgs, ...args], { encoding: 'utf8' }).trim();
const CHILD = fileURLToPath(new URL('./child.sh', import.meta.url));

// the experiment's span: TRACEPARENT of a background span that stays open while children run
const traceparent = skein('span', 'start', '--name', 'chaos-experiment', '--service', 'chaos-operator', '--attr', 'experiment=pod-delete');
// set in our own environment: the `skein span event/end` calls below find the span through it,
// and every child inherits it
process.env.TRACEPARENT = traceparent;
const env = { ...process.env, SKEIN: process.env.SKEIN || 'skein' };
console.log(`experiment trace: ${traceparent.split('-')[1]}`);

const pods = ['runner', 'probe-http', 'probe-cmd'];
const exits = await Promise.all(
  pods.map(
    (pod, i) =>
      new Promise((resolve) => {
        // each "container" gets the context and its own service name through its environment
        const child = spawn('bash', [CHILD, pod, String(i)], { env: { ...env, OTEL_SERVICE_NAME: pod }, stdio: 'inherit' });
        child.on('exit', (code) => {
          skein('span', 'event', '--name', `${pod} exited`, '--attr', `exit.code=${code}`);
          resolve(code ?? 1);
        });
      }),
  ),
);
const failed = exits.filter((c) => c !== 0).length;
skein('span', 'end', ...(failed ? ['--status', 'error', '--status-message', `${failed} pod(s) failed`] : ['--status', 'ok']));
console.log(`experiment finished: ${pods.length - failed}/${pods.length} pods succeeded`);
process.exit(failed ? 1 : 0);
