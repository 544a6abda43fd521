/** Result types shared by the OTLP protobuf and JSON codecs. */

import type { Span } from '../span.js';

/**
 * A decoded ExportTraceServiceRequest. Spans with invalid ids are left out and counted in
 * `rejected`; `message` says why (empty when nothing was rejected), ready for an OTLP partial
 * success answer.
 */
export interface OtlpDecoded {
  spans: Span[];
  rejected: number;
  message: string;
}

/** Collects rejections while decoding: the count and the first reason, with its path. */
export class Rejections {
  count = 0;
  first = '';

  add(path: string, reason: string): void {
    if (this.count++ === 0) this.first = `${path}: ${reason}`;
  }

  message(): string {
    if (this.count === 0) return '';
    const noun = this.count === 1 ? 'span' : 'spans';
    const more = this.count > 1 ? ` (and ${this.count - 1} more)` : '';
    return `rejected ${this.count} ${noun} with invalid ids: ${this.first}${more}`;
  }
}
