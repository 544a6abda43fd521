/** Jaeger codecs: jaeger.thrift Batch over the binary and compact protocols. */
export { decodeJaegerBatch, decodeJaegerEmitBatch } from './decode.js';
export { decodeJaegerJson, type JaegerJsonOptions } from './json.js';
export { encodeJaegerBatches, encodeJaegerEmitBatches } from './encode.js';
