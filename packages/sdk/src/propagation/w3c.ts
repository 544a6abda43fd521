/** W3C trace context (traceparent, tracestate) and baggage as one TextMapPropagator. */

import { baggageEntryMetadataFromString, isSpanContextValid, propagation, trace, TraceFlags } from '@opentelemetry/api';
import type { BaggageEntry, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

const TRACEPARENT_RE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Parses a traceparent; returns undefined for anything invalid (version ff, zero ids, bad hex). */
export function parseTraceparent(v: string): { traceId: string; spanId: string; traceFlags: number } | undefined {
  const m = TRACEPARENT_RE.exec(v.trim());
  if (!m || m[1] === 'ff' || (m[1] === '00' && m[5] !== undefined)) return undefined;
  const sc = { traceId: m[2]!, spanId: m[3]!, traceFlags: parseInt(m[4]!, 16) & 1 };
  return isSpanContextValid(sc) ? sc : undefined;
}

export class W3CPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (sc && isSpanContextValid(sc)) {
      const flags = (sc.traceFlags & TraceFlags.SAMPLED) === 1 ? '01' : '00';
      setter.set(carrier, 'traceparent', `00-${sc.traceId}-${sc.spanId}-${flags}`);
      const ts = sc.traceState?.serialize();
      if (ts) setter.set(carrier, 'tracestate', ts);
    }
    const bag = propagation.getBaggage(ctx);
    if (bag) {
      const parts: string[] = [];
      for (const [k, e] of bag.getAllEntries()) {
        let s = `${encodeURIComponent(k)}=${encodeURIComponent(e.value)}`;
        if (e.metadata) s += `;${e.metadata.toString()}`;
        parts.push(s);
      }
      if (parts.length > 0) setter.set(carrier, 'baggage', parts.join(','));
    }
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    let out = ctx;
    const tp = first(getter.get(carrier, 'traceparent'));
    const sc = tp ? parseTraceparent(tp) : undefined;
    if (sc) {
      const ts = first(getter.get(carrier, 'tracestate'));
      out = trace.setSpanContext(out, {
        ...sc,
        isRemote: true,
        traceState: ts ? new SimpleTraceState(ts) : undefined,
      });
    }
    const b = first(getter.get(carrier, 'baggage'));
    if (b) {
      const entries: Record<string, BaggageEntry> = {};
      for (const item of b.split(',')) {
        const [kv, ...meta] = item.split(';');
        const eq = kv!.indexOf('=');
        if (eq <= 0) continue;
        try {
          entries[decodeURIComponent(kv!.slice(0, eq).trim())] = {
            value: decodeURIComponent(kv!.slice(eq + 1).trim()),
            ...(meta.length > 0 ? { metadata: baggageEntryMetadataFromString(meta.join(';')) } : {}),
          };
        } catch {
          // A malformed percent-escape drops only that entry.
        }
      }
      if (Object.keys(entries).length > 0) out = propagation.setBaggage(out, propagation.createBaggage(entries));
    }
    return out;
  }

  fields(): string[] {
    return ['traceparent', 'tracestate', 'baggage'];
  }
}

/** A tracestate kept as its ordered key=value list (W3C: up to 32 members, newest first). */
export class SimpleTraceState {
  private readonly members: [string, string][] = [];
  constructor(raw?: string) {
    if (!raw) return;
    for (const m of raw.split(',')) {
      const eq = m.indexOf('=');
      if (eq > 0) this.members.push([m.slice(0, eq).trim(), m.slice(eq + 1).trim()]);
      if (this.members.length === 32) break;
    }
  }
  set(key: string, value: string): SimpleTraceState {
    const t = new SimpleTraceState();
    t.members.push([key, value], ...this.members.filter(([k]) => k !== key));
    return t;
  }
  unset(key: string): SimpleTraceState {
    const t = new SimpleTraceState();
    t.members.push(...this.members.filter(([k]) => k !== key));
    return t;
  }
  get(key: string): string | undefined {
    return this.members.find(([k]) => k === key)?.[1];
  }
  serialize(): string {
    return this.members.map(([k, v]) => `${k}=${v}`).join(',');
  }
}
