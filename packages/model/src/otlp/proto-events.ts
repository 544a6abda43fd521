/** OTLP protobuf decoding of span events and links. */

import type { SpanEvent, SpanLink } from '../span.js';
import type { ProtoReader } from '../protobuf/reader.js';
import { rethrowWithin } from '../protobuf/decode-error.js';
import { readKeyValueInto, spanIdHex, traceIdHex } from './proto-values.js';

export function readEventInto(r: ProtoReader, events: SpanEvent[]): void {
  try {
    const outer = r.enter();
    const ev: SpanEvent = { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 };
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === 9) ev.timeUnixNano = r.fixed64();
      else if (tag === 18) ev.name = r.string();
      else if (tag === 26) readKeyValueInto(r, ev.attributes, 'attributes', 0);
      else if (tag === 32) ev.droppedAttributesCount = r.uint32();
      else r.skip(tag & 7);
    }
    r.leave(outer);
    events.push(ev);
  } catch (e) {
    rethrowWithin(e, `events[${events.length}]`);
  }
}

/** Links keep whatever ids they carry as hex; a zero or odd-sized id is not a reason to reject the span. */
export function readLinkInto(r: ProtoReader, links: SpanLink[]): void {
  try {
    const outer = r.enter();
    const link: SpanLink = { traceId: '', spanId: '', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 };
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === 10) link.traceId = idHex(r, 16);
      else if (tag === 18) link.spanId = idHex(r, 8);
      else if (tag === 26) link.traceState = r.string();
      else if (tag === 34) readKeyValueInto(r, link.attributes, 'attributes', 0);
      else if (tag === 40) link.droppedAttributesCount = r.uint32();
      else if (tag === 53) link.flags = r.fixed32();
      else r.skip(tag & 7);
    }
    r.leave(outer);
    links.push(link);
  } catch (e) {
    rethrowWithin(e, `links[${links.length}]`);
  }
}

function idHex(r: ProtoReader, size: 8 | 16): string {
  const p = r.lenStart();
  const len = r.pos - p;
  if (len === size) {
    const s = size === 16 ? traceIdHex(r.buf, p) : spanIdHex(r.buf, p);
    return s === '' ? '0'.repeat(size * 2) : s;
  }
  let s = '';
  for (let i = p; i < r.pos; i++) s += r.buf[i]!.toString(16).padStart(2, '0');
  return s;
}
