/**
 * Compact, exact text encodings of attributes, events and links for the DuckDB store.
 *
 * Attributes are one string per span that search can filter with `contains()`: each attribute is
 * `\x1e key \x1f text \x1f tag [payload]`, where text is exactly `attributeText(value)` (what a
 * search compares) and the tag restores the type. A whole list ends with `\x1e`, so the pattern
 * `\x1e key \x1f text \x1f` matches one attribute exactly. Control separators inside keys and
 * texts are escaped with \x1d. Span attributes name most keys by a code from the store's
 * dictionary (attr-keys.ts) instead of spelling them out. Everything else (events, links,
 * dropped counts, trace state) goes into a typed JSON "extra", NULL for the common span.
 */
import type { AnyValue, KeyValue, SpanEvent, SpanLink } from '@skein/model';
import { attributeText } from '../match.js';
import type { AttrKeys } from './attr-keys.js';

// The separators are control characters by design: they cannot appear unescaped in any field.
/* eslint-disable no-control-regex */
const SEPARATORS = /[\x1d-\x1f]/;
const SEPARATORS_G = /[\x1d-\x1f]/g;
const ESCAPED = /\x1d(.)/g;
/* eslint-enable no-control-regex */
export const esc = (s: string): string =>
  SEPARATORS.test(s) ? s.replace(SEPARATORS_G, (c) => '\x1d' + String.fromCharCode(c.charCodeAt(0) + 0x13)) : s;
const unesc = (s: string): string =>
  s.includes('\x1d') ? s.replace(ESCAPED, (_m, c: string) => String.fromCharCode(c.charCodeAt(0) - 0x13)) : s;

/**
 * The substrings that identify attribute `key` with search text `text` in an encoded list: one
 * matches. Two when the key is coded now but files from before the dictionary spell it out.
 */
export function attributePatterns(key: string, text: string, keys?: AttrKeys): string[] {
  const tail = `${esc(text)}\x1f`;
  const spelled = spelledHead(key) + tail;
  const coded = keys?.knownHead(key);
  if (keys === undefined || coded === undefined) return [spelled];
  return keys.spelledOutBefore ? [coded + tail, spelled] : [coded + tail];
}

/** `\x1e key \x1f` per attribute key seen lately: keys repeat on nearly every span. */
const keyHeads = new Map<string, string>();

export function spelledHead(key: string): string {
  let head = keyHeads.get(key);
  if (head === undefined) {
    head = `\x1e${esc(key)}\x1f`;
    if (keyHeads.size >= 4096) keyHeads.clear();
    keyHeads.set(key, head);
  }
  return head;
}

/** Encodes a list; with `keys`, keys are coded (and new ones added to the dictionary). */
export function encodeAttributes(kvs: KeyValue[], keys?: AttrKeys): string {
  let out = '';
  for (let i = 0; i < kvs.length; i++) {
    const { key, value } = kvs[i]!;
    out += (keys?.head(key) ?? spelledHead(key)) + encodedValue(value);
  }
  return out + '\x1e';
}

/** What follows an attribute's key: its search text and type tag. */
export function encodedValue(value: AnyValue): string {
  // The common scalar types inline what attributeText + tagOf do (numbers never need escaping).
  if (typeof value === 'string') return esc(value) + '\x1fs';
  if (typeof value === 'bigint') return value.toString() + '\x1fi';
  if (typeof value === 'boolean') return value ? 'true\x1fb' : 'false\x1fb';
  if (typeof value === 'number') return String(value) + (Object.is(value, -0) ? '\x1fz' : '\x1fd');
  return esc(attributeText(value)) + '\x1f' + tagOf(value);
}

export function tagOf(v: AnyValue): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'string':
      return 's';
    case 'boolean':
      return 'b';
    case 'bigint':
      return 'i';
    case 'number':
      return Object.is(v, -0) ? 'z' : 'd';
  }
  if (v instanceof Uint8Array) return 'y';
  return 'j' + JSON.stringify(toJson(v));
}

export function decodeAttributes(s: string, keys?: AttrKeys): KeyValue[] {
  const out: KeyValue[] = [];
  if (s.length <= 1) return out;
  // Fields never contain a raw \x1e (escaped), and JSON payloads escape control characters.
  const parts = s.slice(1, -1).split('\x1e');
  for (const part of parts) {
    const a = part.indexOf('\x1f');
    const b = part.indexOf('\x1f', a + 1);
    const key = isCoded(part) ? codedKey(part.slice(1, a), keys) : unesc(part.slice(0, a));
    const text = unesc(part.slice(a + 1, b));
    const tag = part[b + 1];
    out.push({ key, value: valueOf(tag, text, part, b + 2) });
  }
  return out;
}

/** A coded key is \x1d and a letter; an escape is \x1d and a digit. */
const isCoded = (part: string): boolean => part.charCodeAt(0) === 0x1d && part.charCodeAt(1) >= 97;

function codedKey(code: string, keys: AttrKeys | undefined): string {
  if (!keys) throw new Error('corrupt store: a coded attribute key where none may be');
  return keys.keyOf(code);
}

function valueOf(tag: string | undefined, text: string, part: string, payloadAt: number): AnyValue {
  switch (tag) {
    case 's':
      return text;
    case 'b':
      return text === 'true';
    case 'i':
      return BigInt(text);
    case 'd':
      return Number(text);
    case 'z':
      return -0;
    case 'n':
      return null;
    case 'y':
      return new Uint8Array(Buffer.from(text, 'base64'));
    case 'j':
      return fromJson(JSON.parse(part.slice(payloadAt)));
    default:
      throw new Error(`corrupt attribute encoding: unknown type tag ${JSON.stringify(tag)}`);
  }
}

type J = null | boolean | string | number | J[] | { [k: string]: J };

/** Typed JSON of an AnyValue: strings, bools and null as themselves, the rest tagged. */
export function toJson(v: AnyValue): J {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return { i: v.toString() };
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? { d: v } : { d: String(Object.is(v, -0) ? '-0' : v) };
  if (v instanceof Uint8Array) return { y: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return { a: v.map(toJson) };
  return { k: kvsToJson(v.kvlist) };
}

export function fromJson(j: J): AnyValue {
  if (j === null || typeof j === 'string' || typeof j === 'boolean') return j;
  if (typeof j === 'number' || Array.isArray(j)) throw new Error('corrupt typed JSON value');
  if ('i' in j) return BigInt(j.i as string);
  if ('d' in j) return typeof j.d === 'number' ? j.d : j.d === '-0' ? -0 : Number(j.d);
  if ('y' in j) return new Uint8Array(Buffer.from(j.y as string, 'base64'));
  if ('a' in j) return (j.a as J[]).map(fromJson);
  return { kvlist: kvsFromJson(j.k as J[]) };
}

const kvsToJson = (kvs: KeyValue[]): J[] => kvs.map((kv) => [kv.key, toJson(kv.value)]);
const kvsFromJson = (j: J[]): KeyValue[] => j.map((p) => ({ key: (p as J[])[0] as string, value: fromJson((p as J[])[1]!) }));

/** Span fields that are rarely set; all default means no extra at all. */
export interface Extra {
  traceState: string;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  events: SpanEvent[];
  links: SpanLink[];
}

export function encodeExtra(x: Extra): string | null {
  if (!x.traceState && !x.droppedAttributesCount && !x.droppedEventsCount && !x.droppedLinksCount && !x.events.length && !x.links.length) {
    return null;
  }
  const o: Record<string, J> = {};
  if (x.traceState) o.ts = x.traceState;
  if (x.droppedAttributesCount) o.da = x.droppedAttributesCount;
  if (x.droppedEventsCount) o.de = x.droppedEventsCount;
  if (x.droppedLinksCount) o.dl = x.droppedLinksCount;
  if (x.events.length) o.e = x.events.map((e) => [e.timeUnixNano.toString(), e.name, kvsToJson(e.attributes), e.droppedAttributesCount]);
  if (x.links.length) {
    o.l = x.links.map((l) => [l.traceId, l.spanId, l.traceState, kvsToJson(l.attributes), l.droppedAttributesCount, l.flags]);
  }
  return JSON.stringify(o);
}

export function decodeExtra(s: string | null): Extra {
  const x: Extra = { traceState: '', droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0, events: [], links: [] };
  if (s === null) return x;
  const o = JSON.parse(s) as Record<string, J>;
  if (o.ts !== undefined) x.traceState = o.ts as string;
  if (o.da !== undefined) x.droppedAttributesCount = o.da as number;
  if (o.de !== undefined) x.droppedEventsCount = o.de as number;
  if (o.dl !== undefined) x.droppedLinksCount = o.dl as number;
  for (const e of (o.e ?? []) as J[][]) {
    x.events.push({ timeUnixNano: BigInt(e[0] as string), name: e[1] as string, attributes: kvsFromJson(e[2] as J[]), droppedAttributesCount: e[3] as number });
  }
  for (const l of (o.l ?? []) as J[][]) {
    x.links.push({
      traceId: l[0] as string,
      spanId: l[1] as string,
      traceState: l[2] as string,
      attributes: kvsFromJson(l[3] as J[]),
      droppedAttributesCount: l[4] as number,
      flags: l[5] as number,
    });
  }
  return x;
}
