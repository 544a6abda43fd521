/** A span that is not recorded (sampled out, tracing off) but still feeds the span metrics. */

import { SpanStatusCode } from '@opentelemetry/api';
import type { Span, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { SpanMetrics } from './metrics.js';
import { nowMs } from './time.js';

export class MeteredSpan implements Span {
  private readonly startMs = nowMs();
  private status: SpanStatusCode = SpanStatusCode.UNSET;
  private ended = false;

  constructor(
    private readonly ctx: SpanContext,
    private name: string,
    private readonly metrics: SpanMetrics,
  ) {}

  spanContext(): SpanContext {
    return this.ctx;
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(s: SpanStatus): this {
    if (this.status !== SpanStatusCode.OK && s.code !== SpanStatusCode.UNSET) this.status = s.code;
    return this;
  }
  updateName(name: string): this {
    this.name = name;
    return this;
  }
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.metrics.record(this.name, this.status, nowMs() - this.startMs);
  }
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}
