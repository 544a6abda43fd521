/**
 * A trace the worker holds only as compact columns: the server keeps the detail. One span's
 * detail is fetched when it is opened; find and export fetch the whole OTLP JSON once, on demand.
 */
import { parseText } from '../parse/detect.js';
import type { ParsedSpan, Trace } from '../trace/model.js';
import { errorOf } from './compact.js';

export class RemoteTrace {
  readonly traceId: string;
  /** The span ids, 16 hex digits each, in the order of the compact columns. */
  readonly spanIds: string;
  #full?: Promise<ParsedSpan[]>;
  #index?: Map<string, number>;

  /** `spanUrl` is the detail URL with `{spanId}` where the span id goes. */
  constructor(trace: Trace, readonly otlpUrl: string, readonly spanUrl: string) {
    this.traceId = trace.traceId;
    this.spanIds = trace.spanIds;
  }

  async detail(index: number): Promise<ParsedSpan | undefined> {
    const id = this.spanIds.slice(index * 16, index * 16 + 16);
    if (id.length !== 16) return undefined;
    if (this.spanUrl) {
      const res = await fetch(this.spanUrl.replace('{spanId}', id));
      if (!res.ok) throw await errorOf(res);
      return parseText(await res.text()).spans.find((s) => s.spanId === id);
    }
    return (await this.fullSpans()).find((s) => s.spanId === id);
  }

  /** Every span with full detail (OTLP JSON from the server), fetched and parsed once. */
  fullSpans(): Promise<ParsedSpan[]> {
    this.#full ??= (async () => {
      const res = await fetch(this.otlpUrl);
      if (!res.ok) throw await errorOf(res);
      return parseText(await res.text()).spans.filter((s) => s.traceId === this.traceId);
    })();
    this.#full.catch(() => (this.#full = undefined));
    return this.#full;
  }

  /** Positions in `spans` (from fullSpans) turned into indices of the compact columns, sorted. */
  mapToIndices(found: Int32Array, spans: ParsedSpan[]): Int32Array {
    if (!this.#index) {
      this.#index = new Map();
      for (let i = this.spanIds.length / 16 - 1; i >= 0; i--) this.#index.set(this.spanIds.slice(i * 16, i * 16 + 16), i);
    }
    const out = new Set<number>();
    for (const k of found) {
      const i = this.#index.get(spans[k]!.spanId);
      if (i !== undefined) out.add(i);
    }
    return Int32Array.from(out).sort();
  }
}
