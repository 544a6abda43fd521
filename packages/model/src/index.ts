export type { AnyValue, KvList, KeyValue, Resource, Scope, SpanEvent, SpanLink, Status, Span } from './span.js';
export { SpanKind, StatusCode, emptyResource, emptyScope, serviceName } from './span.js';
export {
  ZERO_TRACE_ID,
  ZERO_SPAN_ID,
  bytesToHex,
  hexToBytes,
  normalizeTraceId,
  normalizeSpanId,
  isValidTraceId,
  isValidSpanId,
} from './ids.js';
export { nsToMicros, microsToNs, nsToMillis, millisToNs, nowNs, parseDurationNs } from './time.js';
export { ProtoReader, WireType, joinU64, joinI64 } from './protobuf/reader.js';
export { ProtoWriter } from './protobuf/writer.js';
export { DecodeError, rethrowWithin } from './protobuf/decode-error.js';
export { utf8Read, utf8Length, utf8Write } from './protobuf/utf8.js';
export {
  decodeZipkinJson,
  encodeZipkinJson,
  decodeZipkinV1Json,
  decodeZipkinProto,
  encodeZipkinProto,
  spanToZipkin,
  spansToZipkin,
  zipkinToSpans,
} from './zipkin/index.js';
export type { ZipkinSpan, ZipkinEndpoint, ZipkinAnnotation, ZipkinKind } from './zipkin/index.js';
export type { OtlpDecoded } from './otlp/types.js';
export { decodeOtlpProto, readResource, readScope } from './otlp/proto-decode.js';
// The parts, for decoders that read OTLP/protobuf straight into their own rows.
export { readAnyValue } from './otlp/proto-values.js';
export { readEventInto, readLinkInto } from './otlp/proto-events.js';
export { encodeOtlpProto, encodeExportResponse, decodeExportResponse, groupSpans, OtlpSpanEncoder } from './otlp/proto-encode.js';
export { decodeOtlpJson, encodeOtlpJson, encodeExportResponseJson, spanToJson, anyValueToJson, keyValueToJson } from './otlp/json.js';
export type { OtlpJsonRequest, OtlpJsonSpan, OtlpJsonAnyValue, OtlpJsonKeyValue } from './otlp/json.js';
export { base64Encode, base64Decode } from './otlp/base64.js';
export { decodeJaegerBatch, decodeJaegerEmitBatch, decodeJaegerJson, encodeJaegerBatches, encodeJaegerEmitBatches } from './jaeger/index.js';
export { decodeDatadogV04, decodeDatadogV05, encodeDatadogV04, encodeDatadogV05 } from './datadog/index.js';
export type { DdDecodeOptions, DdDecoded } from './datadog/index.js';
export type { JaegerJsonOptions } from './jaeger/index.js';
