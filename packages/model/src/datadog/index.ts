/** Datadog agent trace payloads (msgpack v0.3/v0.4/v0.5) to and from canonical spans. */
import type { DdDecodeOptions, DdDecoded } from './to-span.js';
import { ddToSpans } from './to-span.js';
import { readDdV04, readDdV05 } from './read.js';
export type { DdDecodeOptions, DdDecoded } from './to-span.js';
export { encodeDatadogV04, encodeDatadogV05 } from './encode.js';

/** Decodes a v0.3/v0.4 body; throws DecodeError with the trace and span index. */
export const decodeDatadogV04 = (buf: Uint8Array, opts?: DdDecodeOptions): DdDecoded => ddToSpans(readDdV04(buf), opts);
/** Decodes a v0.5 body. */
export const decodeDatadogV05 = (buf: Uint8Array, opts?: DdDecodeOptions): DdDecoded => ddToSpans(readDdV05(buf), opts);
