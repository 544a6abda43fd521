/** Reads Datadog agent trace payloads (msgpack v0.3/v0.4 maps, v0.5 string-table arrays) into DdSpan chunks. */
import { toU64 } from '../int64.js';
import { rethrowWithin } from '../protobuf/decode-error.js';
import type { AnyValue, KeyValue, SpanEvent } from '../span.js';
import { MsgpackReader } from './msgpack.js';
import { newDdSpan, type DdSpan } from './dd-span.js';

function readAttrValue(r: MsgpackReader): AnyValue {
  // span_events attributes: {type: 0 string | 1 bool | 2 int | 3 double | 4 array, <kind>_value: v}
  let value: AnyValue = null;
  const n = r.mapLen('attribute');
  for (let i = 0; i < n; i++) {
    const k = r.str('attribute key');
    if (k === 'string_value') value = r.str(k);
    else if (k === 'bool_value') {
      const b = r.peek();
      if (b !== 0xc2 && b !== 0xc3) r.fail('bool_value must be a bool');
      r.pos++;
      value = b === 0xc3;
    } else if (k === 'int_value') value = r.int(k);
    else if (k === 'double_value') value = r.num(k);
    else if (k === 'array_value') {
      const m = r.mapLen(k);
      for (let j = 0; j < m; j++) {
        if (r.str('array key') !== 'values') {
          r.skip();
          continue;
        }
        const len = r.arrayLen('values');
        const arr: AnyValue[] = [];
        for (let x = 0; x < len; x++) arr.push(readAttrValue(r));
        value = arr;
      }
    } else r.skip();
  }
  return value;
}

function readEvents(r: MsgpackReader): SpanEvent[] {
  const n = r.arrayLen('span_events');
  const out: SpanEvent[] = [];
  for (let i = 0; i < n; i++) {
    const e: SpanEvent = { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 };
    const m = r.mapLen('span event');
    for (let j = 0; j < m; j++) {
      const k = r.str('span event key');
      if (k === 'name') e.name = r.str(k);
      else if (k === 'time_unix_nano') e.timeUnixNano = r.int(k);
      else if (k === 'attributes') {
        const a = r.mapLen(k);
        for (let x = 0; x < a; x++) {
          const key = r.str('attribute key');
          e.attributes.push({ key, value: readAttrValue(r) } as KeyValue);
        }
      } else r.skip();
    }
    out.push(e);
  }
  return out;
}

function readStringMap(r: MsgpackReader, what: string, into: Map<string, string>): void {
  if (r.isNil()) return;
  const n = r.mapLen(what);
  for (let i = 0; i < n; i++) {
    const k = r.str(`${what} key`);
    into.set(k, r.isNil() ? '' : r.str(`${what}.${k}`));
  }
}

function readSpanMap(r: MsgpackReader): DdSpan {
  const s = newDdSpan();
  const n = r.mapLen('span');
  for (let i = 0; i < n; i++) {
    const key = r.str('span field name');
    if (r.isNil()) continue;
    switch (key) {
      case 'service': s.service = r.str(key); break;
      case 'name': s.name = r.str(key); break;
      case 'resource': s.resource = r.str(key); break;
      case 'type': s.type = r.str(key); break;
      case 'trace_id': s.traceId = toU64(r.int(key)); break;
      case 'span_id': s.spanId = toU64(r.int(key)); break;
      case 'parent_id': s.parentId = toU64(r.int(key)); break;
      case 'start': s.start = r.int(key); break;
      case 'duration': s.duration = r.int(key); break;
      case 'error': s.error = Number(r.int(key)); break;
      case 'meta': readStringMap(r, 'meta', s.meta); break;
      case 'metrics': {
        const m = r.mapLen('metrics');
        for (let j = 0; j < m; j++) {
          const k = r.str('metrics key');
          s.metrics.set(k, r.num(`metrics.${k}`));
        }
        break;
      }
      case 'span_events': s.events = readEvents(r); break;
      default: r.skip();
    }
  }
  return s;
}

function readSpanV05(r: MsgpackReader, strings: string[]): DdSpan {
  const str = (what: string): string => {
    const at = r.pos;
    const i = Number(r.int(what));
    const v = strings[i];
    if (v === undefined) r.fail(`${what} refers to string ${i}, but the table has ${strings.length}`, at);
    return v;
  };
  const n = r.arrayLen('span');
  if (n !== 12) r.fail(`a v0.5 span is an array of 12 elements, got ${n}`);
  const s = newDdSpan();
  s.service = str('service');
  s.name = str('name');
  s.resource = str('resource');
  s.traceId = toU64(r.int('trace_id'));
  s.spanId = toU64(r.int('span_id'));
  s.parentId = toU64(r.int('parent_id'));
  s.start = r.int('start');
  s.duration = r.int('duration');
  s.error = Number(r.int('error'));
  const m = r.mapLen('meta');
  for (let i = 0; i < m; i++) {
    const k = str('meta key');
    s.meta.set(k, str(`meta.${k}`));
  }
  const x = r.mapLen('metrics');
  for (let i = 0; i < x; i++) {
    const k = str('metrics key');
    s.metrics.set(k, r.num(`metrics.${k}`));
  }
  s.type = str('type');
  return s;
}

function readTraces(r: MsgpackReader, span: () => DdSpan): DdSpan[][] {
  const n = r.arrayLen('traces');
  const traces: DdSpan[][] = [];
  for (let t = 0; t < n; t++) {
    try {
      const m = r.arrayLen('trace');
      const chunk: DdSpan[] = [];
      for (let i = 0; i < m; i++) {
        try {
          chunk.push(span());
        } catch (e) {
          rethrowWithin(e, `[${i}]`);
        }
      }
      traces.push(chunk);
    } catch (e) {
      rethrowWithin(e, `traces[${t}]`);
    }
  }
  return traces;
}

/** v0.3 and v0.4: an array of traces, each an array of span maps. */
export function readDdV04(buf: Uint8Array): DdSpan[][] {
  const r = new MsgpackReader(buf);
  const traces = readTraces(r, () => readSpanMap(r));
  if (r.pos !== buf.length) r.fail(`${buf.length - r.pos} unexpected bytes after the payload`);
  return traces;
}

/** v0.5: `[string table, traces]`, spans as 12-element arrays of string indices and numbers. */
export function readDdV05(buf: Uint8Array): DdSpan[][] {
  const r = new MsgpackReader(buf);
  if (r.arrayLen('payload') !== 2) r.fail('a v0.5 payload is [strings, traces]', 0);
  const n = r.arrayLen('string table');
  const strings: string[] = [];
  for (let i = 0; i < n; i++) strings.push(r.str(`strings[${i}]`));
  const traces = readTraces(r, () => readSpanV05(r, strings));
  if (r.pos !== buf.length) r.fail(`${buf.length - r.pos} unexpected bytes after the payload`);
  return traces;
}
