/** Component-focused spans: level-gated spans, one bounded span per loop iteration, and its stages. */

import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { activeProvider } from './init.js';
import { LEVEL_ATTRIBUTE } from './levels.js';
import type { LevelName } from './levels.js';

const NOOP_SPAN = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });

function settle<T>(span: Span, fn: (span: Span) => T): T {
  let r: T;
  try {
    r = fn(span);
  } catch (e) {
    fail(span, e);
    span.end();
    throw e;
  }
  if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
    return (r as unknown as Promise<unknown>).then(
      (v) => {
        span.end();
        return v;
      },
      (e: unknown) => {
        fail(span, e);
        span.end();
        throw e;
      },
    ) as T;
  }
  span.end();
  return r;
}

function fail(span: Span, e: unknown): void {
  span.recordException(e instanceof Error ? e : String(e));
  span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
}

/** A component's tracer with helpers; its name is the component that SKEIN_TRACE_LEVEL thresholds refer to. */
export class Component {
  private iterations = 0;
  constructor(readonly name: string) {}

  get tracer(): Tracer {
    return trace.getTracer(this.name);
  }

  /**
   * Runs `fn` inside a span of `level`; ends it when `fn` returns or its promise settles, marks
   * errors. With no SDK running it just calls `fn` (the disabled path costs a null check).
   */
  span<T>(level: LevelName, name: string, fn: (span: Span) => T, attributes?: Attributes): T {
    if (activeProvider() === null) return fn(NOOP_SPAN);
    const attrs: Attributes = { ...attributes, [LEVEL_ATTRIBUTE]: level };
    return this.tracer.startActiveSpan(name, { attributes: attrs }, (s) => settle(s, fn));
  }

  /** One iteration of the component's loop as its own bounded span (`<component>.iteration`). */
  iteration<T>(fn: (span: Span) => T, attributes?: Attributes, level: LevelName = 'info'): T {
    const n = ++this.iterations;
    return this.span(level, `${this.name}.iteration`, fn, { 'skein.iteration': n, 'skein.component': this.name, ...attributes });
  }

  /** A stage inside an iteration: read, process, send, or any name. */
  stage<T>(stage: string, fn: (span: Span) => T, attributes?: Attributes, level: LevelName = 'info'): T {
    return this.span(level, `${this.name}.${stage}`, fn, { 'skein.stage': stage, ...attributes });
  }
}

export function component(name: string): Component {
  return new Component(name);
}
