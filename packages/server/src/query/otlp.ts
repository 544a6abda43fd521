/**
 * The OTLP/JSON codecs of @skein/model, looked up at run time so that the query API builds
 * and serves everything else while they are missing (then the OTLP endpoints answer 501).
 */
import type { Span } from '@skein/model';
import { ApiError } from './http.js';

export interface OtlpDecodeResult {
  spans: Span[];
  rejected: number;
  message: string;
}

interface Codecs {
  encodeOtlpJson?: (spans: Span[]) => unknown;
  decodeOtlpJson?: (input: string | object) => OtlpDecodeResult;
}

let codecs: Promise<Codecs> | undefined;
const load = (): Promise<Codecs> => (codecs ??= import('@skein/model').then((m) => m as Codecs));

/** Spans -> an OTLP/JSON TracesData object (or its text, when the encoder returns text). */
export async function encodeOtlpJson(spans: Span[]): Promise<unknown> {
  const { encodeOtlpJson: encode } = await load();
  if (!encode) throw new ApiError(501, 'OTLP/JSON encoding is not available in this build');
  return encode(spans);
}

export async function decodeOtlpJson(text: string): Promise<OtlpDecodeResult> {
  const { decodeOtlpJson: decode } = await load();
  if (!decode) throw new ApiError(501, 'OTLP/JSON decoding is not available in this build');
  return decode(text);
}
