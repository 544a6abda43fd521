/** Zipkin codecs: v2 JSON, v1 JSON and proto3, to and from canonical spans. */
export type { ZipkinSpan, ZipkinEndpoint, ZipkinAnnotation, ZipkinKind } from './types.js';
export { decodeZipkinJson, encodeZipkinJson } from './json.js';
export { decodeZipkinV1Json } from './v1.js';
export { decodeZipkinProto, encodeZipkinProto } from './proto.js';
export { spanToZipkin, spansToZipkin } from './from-span.js';
export { zipkinToSpans } from './to-span.js';
export { valueToText } from './value-text.js';
