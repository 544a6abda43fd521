/** SkeinTracer: root-only sampling decisions, level gating, and the span types it hands out. */

import { context as apiContext, INVALID_SPAN_CONTEXT, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, Span, SpanContext, SpanOptions, Tracer } from '@opentelemetry/api';
import type { ScopeState } from './core.js';
import { newSpanId, newTraceId } from './ids.js';
import { Level, LEVEL_ATTRIBUTE, levelOf } from './levels.js';
import type { LevelValue } from './levels.js';
import { MeteredSpan } from './metered-span.js';
import type { SpanMetrics } from './metrics.js';
import type { SamplerSpec } from './sampler.js';
import { SkeinSpan } from './span.js';

/** Live, switchable state every tracer reads at each span start. */
export interface TracerState {
  /** Dynamic mode's switch: consulted only when a trace starts here. */
  enabled: boolean;
  sampler: SamplerSpec;
  metrics: SpanMetrics | null;
}

const INVALID_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export class SkeinTracer implements Tracer {
  constructor(
    readonly owner: ScopeState,
    readonly state: TracerState,
    /** The component's level threshold; spans above it are suppressed. */
    public threshold: LevelValue,
  ) {}

  startSpan(name: string, options?: SpanOptions, ctx: Context = apiContext.active()): Span {
    let parent: SpanContext | undefined;
    if (options?.root !== true) {
      const p = trace.getSpanContext(ctx);
      if (p !== undefined && isSpanContextValid(p)) parent = p;
    }
    const attrs = options?.attributes;
    const lv = attrs === undefined ? undefined : attrs[LEVEL_ATTRIBUTE];
    const level = lv === undefined ? Level.info : levelOf(lv);
    if (level > this.threshold) {
      // Suppressed: hand out the parent's context, so children attach to the nearest recorded ancestor.
      return parent === undefined ? INVALID_SPAN : trace.wrapSpanContext(parent);
    }
    const st = this.state;
    let sampled: boolean;
    let traceId: string;
    if (parent === undefined) {
      traceId = newTraceId();
      sampled = st.enabled && st.sampler.sampler(traceId);
    } else {
      traceId = parent.traceId;
      // A local parent's decision is final, so a trace is recorded whole or not at all.
      if (parent.isRemote !== true || st.sampler.parentBased) sampled = (parent.traceFlags & 1) === 1;
      else sampled = st.enabled && st.sampler.sampler(traceId);
    }
    if (!sampled) {
      const sc: SpanContext =
        parent !== undefined && parent.isRemote !== true && (parent.traceFlags & 1) === 0
          ? parent
          : { traceId, spanId: newSpanId(), traceFlags: 0, traceState: parent?.traceState };
      return st.metrics !== null ? new MeteredSpan(sc, name, st.metrics) : trace.wrapSpanContext(sc);
    }
    return new SkeinSpan(
      this.owner,
      traceId,
      newSpanId(),
      1,
      parent?.traceState,
      parent === undefined ? '' : parent.spanId,
      name,
      options?.kind ?? 0,
      options?.startTime,
      attrs,
      options?.links,
    );
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a?: SpanOptions | F,
    b?: Context | F,
    c?: F,
  ): ReturnType<F> {
    let opts: SpanOptions | undefined;
    let ctx: Context;
    let fn: F;
    if (typeof a === 'function') {
      fn = a;
      ctx = apiContext.active();
    } else if (typeof b === 'function') {
      opts = a;
      fn = b;
      ctx = apiContext.active();
    } else {
      opts = a;
      ctx = b ?? apiContext.active();
      fn = c!;
    }
    const span = this.startSpan(name, opts, ctx);
    return apiContext.with(trace.setSpan(ctx, span), fn as (s: Span) => ReturnType<F>, undefined, span);
  }
}
