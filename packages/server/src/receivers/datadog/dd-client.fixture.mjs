// A real dd-trace program for the receiver tests: run as a child process (dd-trace patches globals).
// Prints the ids it created as JSON on stdout, then exits, which flushes the traces.
import ddTrace from 'dd-trace';

const tracer = ddTrace.init({
  service: 'dd-app',
  env: 'test',
  version: '1.2.3',
  flushInterval: 0,
  startupLogs: false,
  plugins: false,
});

const ids = {};
tracer.trace('web.request', { resource: 'GET /orders', type: 'web', tags: { 'span.kind': 'server', 'http.method': 'GET', 'order.count': 3 } }, (root) => {
  ids.traceId = root.context().toTraceId(true);
  ids.root = root.context().toSpanId(true);
  tracer.trace('pg.query', { resource: 'SELECT * FROM orders', type: 'sql', service: 'dd-app-postgres' }, (child) => {
    ids.child = child.context().toSpanId(true);
    child.setTag('error', new Error('relation does not exist'));
  });
});
// A trace the user rejected: the agent (and Skein) must not keep it.
tracer.trace('health.check', { tags: { 'manual.drop': true } }, (span) => {
  ids.dropped = span.context().toTraceId(true);
});
process.stdout.write(JSON.stringify(ids));
