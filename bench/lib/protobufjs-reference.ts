/** The protobufjs baseline for the ingest benchmark, and the realistic request generator. */

import type { Span } from '../../packages/model/src/span.js';
import { otlpTypes } from '../../packages/model/src/otlp/test-support/otlp-schema.js';
import { makeRealisticSpans } from '../../packages/model/src/otlp/test-support/realistic.js';

interface RefSpan {
  name: string;
  startTimeUnixNano: unknown;
}
interface RefRequest {
  resourceSpans: { scopeSpans: { spans: RefSpan[] }[] }[];
}

/**
 * A function that decodes an ExportTraceServiceRequest with protobufjs (reflection-built types,
 * Long for 64-bit fields, as a typical Node collector would) and returns the span count,
 * touching every span so nothing is optimised away.
 */
export function makeProtobufjsDecoder(): (buf: Uint8Array) => number {
  const { Request } = otlpTypes();
  return (buf) => {
    const msg = Request.decode(buf) as unknown as RefRequest;
    let n = 0;
    for (const rs of msg.resourceSpans) {
      for (const ss of rs.scopeSpans) {
        for (const s of ss.spans) if (s.name.length >= 0 && s.startTimeUnixNano !== undefined) n++;
      }
    }
    return n;
  };
}

/** Realistic spans: several services, HTTP/DB attributes, events, some errors, parent-child trees. */
export function makeRealisticRequest(spanCount: number, seed = 1): Span[] {
  return makeRealisticSpans(spanCount, seed);
}
