/** OTLP/JSON codec: decodeOtlpJson, encodeOtlpJson and the export response. */

export { decodeOtlpJson } from './json-decode.js';
export { encodeOtlpJson, encodeExportResponseJson, spanToJson, anyValueToJson, keyValueToJson } from './json-encode.js';
export type { OtlpJsonRequest, OtlpJsonSpan, OtlpJsonAnyValue, OtlpJsonKeyValue } from './json-encode.js';
