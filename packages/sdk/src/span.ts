/** SkeinSpan: the recording span, a flat object the exporter converts in batches. */

import { SpanStatusCode } from '@opentelemetry/api';
import type {
  Attributes,
  AttributeValue,
  Exception,
  Link,
  Span,
  SpanContext,
  SpanStatus,
  TimeInput,
  TraceState,
} from '@opentelemetry/api';
import type { ScopeState } from './core.js';
import { nowMs, toRelMs } from './time.js';

export interface EventRecord {
  name: string;
  timeMs: number;
  attributes: Attributes | undefined;
  droppedAttributes: number;
}

export class SkeinSpan implements Span {
  readonly attributes: Record<string, AttributeValue> = {};
  attributeCount = 0;
  droppedAttributes = 0;
  events: EventRecord[] | null = null;
  droppedEvents = 0;
  links: Link[] | null = null;
  droppedLinks = 0;
  statusCode: SpanStatusCode = SpanStatusCode.UNSET;
  statusMessage = '';
  readonly startMs: number;
  endMs = -1;
  /** Built on first request: most spans are never asked for their context. */
  private ctx: SpanContext | null = null;

  constructor(
    readonly owner: ScopeState,
    readonly traceId: string,
    readonly spanId: string,
    readonly traceFlags: number,
    readonly traceState: TraceState | undefined,
    readonly parentSpanId: string,
    public name: string,
    readonly kind: number,
    startTime: TimeInput | undefined,
    attributes: Attributes | undefined,
    links: Link[] | undefined,
  ) {
    this.startMs = startTime === undefined ? nowMs() : toRelMs(startTime);
    if (attributes !== undefined) this.setAttributes(attributes);
    if (links !== undefined) for (const l of links) this.addLink(l);
    owner.core.open++;
  }

  spanContext(): SpanContext {
    return (this.ctx ??= { traceId: this.traceId, spanId: this.spanId, traceFlags: this.traceFlags, traceState: this.traceState });
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (value == null || this.endMs >= 0) return this;
    const attrs = this.attributes;
    if (attrs[key] === undefined) {
      if (this.attributeCount >= this.owner.core.limits.attributeCount) {
        this.droppedAttributes++;
        return this;
      }
      this.attributeCount++;
    }
    const maxLen = this.owner.core.limits.attributeValueLength;
    attrs[key] = typeof value === 'string' && value.length > maxLen ? value.slice(0, maxLen) : value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const k in attributes) {
      const v = attributes[k];
      if (v != null) this.setAttribute(k, v);
    }
    return this;
  }

  addEvent(name: string, attrsOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.endMs >= 0) return this;
    const core = this.owner.core;
    const list = (this.events ??= []);
    if (list.length >= core.limits.eventCount) {
      // Truncate and count; warn once per span name so a chatty loop cannot flood the log.
      if (this.droppedEvents++ === 0) {
        core.warnOnce(`events:${this.name}`, `span "${this.name}" exceeded ${core.limits.eventCount} events; extra events are dropped and counted`);
      }
      return this;
    }
    let attrs: Attributes | undefined;
    if (attrsOrTime !== undefined && typeof attrsOrTime === 'object' && !Array.isArray(attrsOrTime) && !(attrsOrTime instanceof Date)) {
      attrs = attrsOrTime as Attributes;
    } else if (attrsOrTime !== undefined) time = attrsOrTime as TimeInput;
    let dropped = 0;
    if (attrs !== undefined) {
      const max = core.limits.eventAttributeCount;
      const keys = Object.keys(attrs);
      if (keys.length > max) {
        dropped = keys.length - max;
        const kept: Attributes = {};
        for (let i = 0; i < max; i++) kept[keys[i]!] = attrs[keys[i]!];
        attrs = kept;
      }
    }
    list.push({ name, timeMs: time === undefined ? nowMs() : toRelMs(time), attributes: attrs, droppedAttributes: dropped });
    return this;
  }

  addLink(link: Link): this {
    const list = (this.links ??= []);
    if (list.length >= this.owner.core.limits.linkCount) this.droppedLinks++;
    else list.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const l of links) this.addLink(l);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.endMs >= 0) return this;
    // OK is final; UNSET never overrides a set status (OpenTelemetry's rule).
    if (this.statusCode === SpanStatusCode.OK || status.code === SpanStatusCode.UNSET) return this;
    this.statusCode = status.code;
    this.statusMessage = status.code === SpanStatusCode.ERROR ? (status.message ?? '') : '';
    return this;
  }

  updateName(name: string): this {
    if (this.endMs < 0) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.endMs >= 0) return;
    const t = endTime === undefined ? nowMs() : toRelMs(endTime);
    this.endMs = t < this.startMs ? this.startMs : t;
    const core = this.owner.core;
    core.open--;
    if (this.endMs - this.startMs > core.guard.maxDurationMs) {
      this.attributes['skein.guard.long_span'] = true;
      core.warnOnce(`long:${this.name}`, `span "${this.name}" stayed open ${Math.round(this.endMs - this.startMs)} ms (limit ${core.guard.maxDurationMs} ms); use iteration spans for long-running loops`);
    }
    core.onEnd(this);
  }

  isRecording(): boolean {
    return this.endMs < 0;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attrs: Attributes = {};
    if (typeof exception === 'string') attrs['exception.message'] = exception;
    else if (exception) {
      const e = exception as { name?: string; message?: string; stack?: string; code?: string | number };
      if (e.name || e.code !== undefined) attrs['exception.type'] = e.name ?? String(e.code);
      if (e.message) attrs['exception.message'] = e.message;
      if (e.stack) attrs['exception.stacktrace'] = e.stack;
    }
    this.addEvent('exception', attrs, time);
  }
}
