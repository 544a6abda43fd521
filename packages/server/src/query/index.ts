/** The query API: Jaeger classic and v3 endpoints as one node:http request handler. */
export { createQueryRouter } from './router.js';
export type { QueryRouter, QueryRouterOptions } from './router.js';
export { toJaegerTrace, toJaegerTraces, jaegerTag } from './jaeger-json.js';
export type { JaegerTrace, JaegerSpan, JaegerKeyValue, JaegerProcess } from './jaeger-json.js';
export { summarizeTrace } from './summary.js';
export type { TraceSummary } from './summary.js';
