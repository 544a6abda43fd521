/** Child: one span (collated under TRACEPARENT when given), flushed by static mode's exit hook. */
import { trace } from '@opentelemetry/api';
import { init } from '@skein/sdk';

init({ serviceName: 'child' });
const tracer = trace.getTracer('child');
tracer.startActiveSpan('child-op', { attributes: { 'child.name': process.env.CHILD_NAME ?? '' } }, (span) => {
  tracer.startSpan('child-inner').end();
  span.end();
});
// No shutdown(): the exit hook must flush the queued spans before the process ends.
