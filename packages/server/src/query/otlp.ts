/** The OTLP/JSON codecs of @skein/model, with decode failures turned into 400 answers. */
import type { OtlpDecoded, OtlpJsonRequest, Span } from '@skein/model';
import { decodeOtlpJson as decode, encodeOtlpJson as encode } from '@skein/model';
import { ApiError } from './http.js';

/** Spans -> an OTLP/JSON TracesData object (ids hex, 64-bit numbers as decimal strings). */
export function encodeOtlpJson(spans: Span[]): OtlpJsonRequest {
  return encode(spans);
}

export function decodeOtlpJson(text: string): OtlpDecoded {
  try {
    return decode(text);
  } catch (err) {
    throw new ApiError(400, `malformed OTLP/JSON body: ${err instanceof Error ? err.message : String(err)}`);
  }
}
