/**
 * Span rows read straight from an OTLP/protobuf request, for the ingest worker: one pass over the
 * bytes into the row buffers, with no Span objects, hex ids or BigInts in between (decoding into
 * spans and then building their rows cost ~2.5x as much). The rows are exactly those write()
 * makes of decodeOtlpProto's spans (proto-rows.test.ts and worker-rows.test.ts hold them equal).
 *
 * ASCII text, numbers, bools, arrays of strings and plain events are written straight from the
 * bytes (proto-json.ts for the JSON); the rest (non-ASCII text, bytes and kvlist values, links,
 * trace state, dropped counts) goes through the model's readers and the store's usual encoders.
 * What the store's own thread must decide throws, and the worker answers "fallback": malformed
 * input, spans with invalid ids, a dictionary entry not known here, or a span key repeated in
 * the request.
 */
import {
  emptyResource, emptyScope, ProtoReader, readAnyValue, readEventInto, readLinkInto, readResource, readScope, utf8Read,
  type AnyValue,
} from '@skein/model';
import { encodedValue, encodeExtra, type Extra } from './codec.js';
import { BufferPool } from './buffer-pool.js';
import { BytesMap } from './bytes-map.js';
import { eventsJson, int64Text, KeyValueAt, stringArrayAttribute, wordLE } from './proto-json.js';
import { RequestTraces } from './request-traces.js';
import { hashWords } from './span-keys.js';
import { TextOut } from './text-out.js';
import { columnOffsets, FIXED, NotKnown, NULL_TEXT, type Dictionaries, type WorkerRows } from './worker-rows.js';

const encoder = new TextEncoder();
/** Rows' buffers kept between requests: a rare huge request does not keep its own for good. */
const KEPT_ROWS = 1 << 16;
/** Which text of a row: the order of WorkerRows.texts. */
const ATTRS = 0;
const EXTRA = 1;
const NAME = 2;
const STATUS_MSG = 3;

const noExtra = (): Extra => ({ traceState: '', droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0, events: [], links: [] });

/** A big-endian 32-bit word (as hex ids read) at buf[p]. */
const wordBE = (b: Uint8Array, p: number): number => (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;

/** Reads requests into rows; its buffers are kept and reused from one request to the next. */
export class ProtoRows {
  private n = 0;
  private cap = 0;
  private trace = new Uint32Array(0);
  private span = new Uint32Array(0);
  private parent = new Uint32Array(0);
  private start = new Uint32Array(0);
  private dur = new Uint32Array(0);
  private svc = new Uint32Array(0);
  private op = new Uint32Array(0);
  private kind = new Uint8Array(0);
  private status = new Uint8Array(0);
  private flags = new Uint32Array(0);
  private res = new Int32Array(0);
  private scope = new Int32Array(0);
  private hasParent = new Uint8Array(0);
  private texts = new Uint32Array(0);
  private keys = new Int32Array(0);
  private readonly spanKeys = new Set<number>();
  /** The texts' bytes. */
  private readonly out = new TextOut();
  private readonly traces = new RequestTraces();
  /** Attribute keys' heads, and span names' ids, by their bytes. */
  private readonly heads = new BytesMap<Uint8Array>();
  private readonly ops = new BytesMap<number | null>();
  private readonly kv = new KeyValueAt();
  /** Buffers to send rows in (finish). */
  private readonly blocks = new BufferPool();

  constructor(private readonly dict: Dictionaries) {
    this.grow(1024);
  }

  /** The dictionaries learnt entries: what was looked up before may have changed. */
  forgetLookups(): void {
    this.heads.clear();
    this.ops.clear();
  }

  /** The request's rows; throws (NotKnown, DecodeError) when the store's thread must take it. */
  rows(buf: Uint8Array): WorkerRows {
    if (this.cap > KEPT_ROWS) this.grow(1024, false);
    this.out.reset();
    this.n = 0;
    this.traces.reset();
    this.spanKeys.clear();
    const r = new ProtoReader(buf);
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === 10) this.resourceSpans(r);
      else r.skip(tag & 7);
    }
    if (this.n === 0) throw new NotKnown('no spans');
    return this.finish();
  }

  /** A ResourceSpans; its spans' resource is looked up once it is read (schema_url comes after them). */
  private resourceSpans(r: ProtoReader): void {
    const outer = r.enter();
    const from = this.n;
    const resource = emptyResource();
    while (r.pos < r.end) {
      const tag = r.tag();
      // 1000: instrumentation_library_spans, the pre-1.0 name of scope_spans
      if (tag === 18 || tag === 8002) this.scopeSpans(r);
      else if (tag === 10) readResource(r, resource);
      else if (tag === 26) resource.schemaUrl = r.string();
      else r.skip(tag & 7);
    }
    r.leave(outer);
    if (this.n === from) return;
    const entry = this.dict.resource(resource);
    if (entry === undefined) throw new NotKnown('a resource is new');
    this.svc.fill(entry.svc, from, this.n);
    this.res.fill(entry.id, from, this.n);
  }

  private scopeSpans(r: ProtoReader): void {
    const outer = r.enter();
    const from = this.n;
    const scope = emptyScope();
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === 18) this.readSpan(r);
      else if (tag === 10) readScope(r, scope);
      else if (tag === 26) scope.schemaUrl = r.string();
      else r.skip(tag & 7);
    }
    r.leave(outer);
    if (this.n === from) return;
    const id = this.dict.scope(scope);
    if (id === undefined) throw new NotKnown('a scope is new');
    this.scope.fill(id, from, this.n);
  }

  /** One span's row, but for its resource and scope (filled in by the callers). */
  private readSpan(r: ProtoReader): void {
    if (this.n === this.cap) this.grow(this.cap * 2);
    const i = this.n;
    const outer = r.enter();
    const buf = r.buf;
    let traceAt = 0;
    let traceLen = 0;
    let spanAt = 0;
    let spanLen = 0;
    let parentAt = 0;
    let parentLen = 0;
    let nameAt = 0;
    let nameEnd = 0;
    let msgAt = 0;
    let msgEnd = 0;
    let kind = 0;
    let code = 0;
    let flags = 0;
    let startAt = -1;
    let endAt = -1;
    let extra: Extra | undefined;
    // Where the span's events start, if it has any.
    let eventsAt: number[] | undefined;
    const out = this.out;
    // Attributes are written as they come; nothing else is written until the span is read.
    const attrsAt = out.size;
    while (r.pos < r.end) {
      const tag = r.tag();
      switch (tag) {
        case 10:
          traceAt = r.lenStart();
          traceLen = r.pos - traceAt;
          break;
        case 18:
          spanAt = r.lenStart();
          spanLen = r.pos - spanAt;
          break;
        case 26:
          (extra ??= noExtra()).traceState = r.string();
          break;
        case 34:
          parentAt = r.lenStart();
          parentLen = r.pos - parentAt;
          break;
        case 42:
          nameAt = r.lenStart();
          nameEnd = r.pos;
          break;
        case 48:
          kind = r.enum();
          break;
        case 57:
          startAt = r.need(8);
          break;
        case 65:
          endAt = r.need(8);
          break;
        case 74:
          this.attribute(r);
          break;
        case 80:
          (extra ??= noExtra()).droppedAttributesCount = r.uint32();
          break;
        case 90:
          (eventsAt ??= []).push(r.pos);
          r.lenStart();
          break;
        case 96:
          (extra ??= noExtra()).droppedEventsCount = r.uint32();
          break;
        case 106:
          readLinkInto(r, (extra ??= noExtra()).links);
          break;
        case 112:
          (extra ??= noExtra()).droppedLinksCount = r.uint32();
          break;
        case 122: {
          const o = r.enter();
          while (r.pos < r.end) {
            const t = r.tag();
            if (t === 18) {
              msgAt = r.lenStart();
              msgEnd = r.pos;
            } else if (t === 24) code = r.enum();
            else r.skip(t & 7);
          }
          r.leave(o);
          break;
        }
        case 133:
          flags = r.fixed32();
          break;
        default:
          r.skip(tag & 7);
      }
    }
    out.ascii('\x1e');
    this.setText(i, ATTRS, attrsAt, out.size - attrsAt);
    this.extra(r, i, extra, eventsAt);
    r.leave(outer);

    if (traceLen !== 16 || spanLen !== 8 || (parentLen !== 0 && parentLen !== 8)) throw new NotKnown('a span has ids of the wrong size');
    const t0 = wordBE(buf, traceAt);
    const t1 = wordBE(buf, traceAt + 4);
    const t2 = wordBE(buf, traceAt + 8);
    const t3 = wordBE(buf, traceAt + 12);
    const s0 = wordBE(buf, spanAt);
    const s1 = wordBE(buf, spanAt + 4);
    if ((t0 | t1 | t2 | t3) === 0 || (s0 | s1) === 0) throw new NotKnown('a span has a zero id');
    const key = hashWords(t0, t1, t2, t3, s0, s1);
    // A repeated key is a repeated span id, or (rarely) two spans' hashes colliding: both are
    // left to the store's thread, which compares the rows themselves.
    if (this.spanKeys.has(key)) throw new NotKnown('a span id may repeat in the request');
    this.spanKeys.add(key);
    const startLo = startAt < 0 ? 0 : wordLE(buf, startAt);
    const startHi = startAt < 0 ? 0 : wordLE(buf, startAt + 4);
    const endLo = endAt < 0 ? 0 : wordLE(buf, endAt);
    const endHi = endAt < 0 ? 0 : wordLE(buf, endAt + 4);
    const traceKey = this.traces.add(t0, t1, t2, t3, startLo, startHi);
    this.keys[i * 2] = key;
    this.keys[i * 2 + 1] = traceKey;
    // UHUGEINT and UBIGINT are little-endian: the id's last word is the lowest.
    this.trace[i * 4] = t3;
    this.trace[i * 4 + 1] = t2;
    this.trace[i * 4 + 2] = t1;
    this.trace[i * 4 + 3] = t0;
    this.span[i * 2] = s1;
    this.span[i * 2 + 1] = s0;
    const p0 = parentLen === 8 ? wordBE(buf, parentAt) : 0;
    const p1 = parentLen === 8 ? wordBE(buf, parentAt + 4) : 0;
    // A zero parent id means a root, as decoding reads it.
    this.parent[i * 2] = p1;
    this.parent[i * 2 + 1] = p0;
    this.hasParent[i] = (p0 | p1) === 0 ? 0 : 1;
    // The duration wraps modulo 2^64 like the BIGINT it is stored as.
    this.start[i * 2] = startLo;
    this.start[i * 2 + 1] = startHi;
    this.dur[i * 2] = endLo - startLo;
    this.dur[i * 2 + 1] = endHi - startHi - (endLo < startLo ? 1 : 0);
    this.kind[i] = kind;
    this.status[i] = code;
    this.flags[i] = flags;

    const op = this.opOf(buf, nameAt, nameEnd);
    this.op[i] = op ?? 0;
    if (op !== null) this.setText(i, NAME, 0, NULL_TEXT);
    else this.text(i, NAME, buf, nameAt, nameEnd);
    this.text(i, STATUS_MSG, buf, msgAt, msgEnd);
    this.n++;
  }

  /**
   * Row i's extra: events alone written straight as JSON when they can be, else decoded and
   * encoded with the rest (`extra`: the span's other rare fields, if any).
   */
  private extra(r: ProtoReader, i: number, extra: Extra | undefined, eventsAt: number[] | undefined): void {
    const out = this.out;
    const at = out.size;
    if (eventsAt === undefined && extra === undefined) return this.setText(i, EXTRA, 0, NULL_TEXT);
    const { pos, end } = r;
    if (extra === undefined && eventsJson(r, eventsAt!, out)) {
      r.pos = pos;
      return this.setText(i, EXTRA, at, out.size - at);
    }
    out.size = at;
    r.end = end;
    extra ??= noExtra();
    for (const p of eventsAt ?? []) {
      r.pos = p;
      readEventInto(r, extra.events);
    }
    r.pos = pos;
    const text = encodeExtra(extra);
    if (text === null) return this.setText(i, EXTRA, 0, NULL_TEXT);
    out.utf8(text);
    this.setText(i, EXTRA, at, out.size - at);
  }

  /** Row i's text `which`: the UTF-8 string at buf[at, end), as decoding and encoding it leaves it. */
  private text(i: number, which: number, buf: Uint8Array, at: number, end: number): void {
    const out = this.out;
    const start = out.size;
    if (!out.copyAscii(buf, at, end)) out.utf8(utf8Read(buf, at, end));
    this.setText(i, which, start, out.size - start);
  }

  /**
   * One KeyValue, written as encodeAttributes writes it: ASCII strings, ints, doubles, bools and
   * arrays of strings straight from their bytes, any other value decoded and encoded.
   */
  private attribute(r: ProtoReader): void {
    const kv = this.kv;
    kv.read(r);
    const after = r.pos;
    const head = this.heads.get(r.buf, kv.keyAt, kv.keyEnd) ?? this.headOf(r.buf, kv.keyAt, kv.keyEnd);
    if (kv.valueAt < 0 || !this.scalar(r, kv.valueAt, head)) {
      let value: AnyValue = null;
      if (kv.valueAt >= 0) {
        r.pos = kv.valueAt;
        value = readAnyValue(r, 1);
      }
      this.writeAttribute(head, encodedValue(value));
    }
    r.pos = after;
  }

  /** Writes an AnyValue holding one ASCII string, int, double, bool or array of strings; false for any other. */
  private scalar(r: ProtoReader, valueAt: number, head: Uint8Array): boolean {
    const out = this.out;
    const before = out.size;
    r.pos = valueAt;
    const outer = r.enter();
    let done = false;
    if (r.pos < r.end) {
      const tag = r.tag();
      if (tag === 10) {
        const at = r.lenStart();
        if (r.pos === r.end) {
          out.copy(head);
          done = out.escapedAscii(r.buf, at, r.pos);
          if (done) out.ascii('\x1fs');
        }
      } else if (tag === 16) {
        const lo = r.uint64Parts();
        if ((done = r.pos === r.end)) this.writeAttribute(head, lo !== 0 || r.hi !== 0 ? 'true\x1fb' : 'false\x1fb');
      } else if (tag === 24) {
        const lo = r.uint64Parts();
        if ((done = r.pos === r.end)) this.writeAttribute(head, int64Text(lo, r.hi) + '\x1fi');
      } else if (tag === 33) {
        const v = r.double();
        if ((done = r.pos === r.end)) this.writeAttribute(head, String(v) + (Object.is(v, -0) ? '\x1fz' : '\x1fd'));
      } else if (tag === 42) {
        const at = r.pos;
        r.lenStart();
        if (r.pos === r.end) {
          out.copy(head);
          r.pos = at;
          done = stringArrayAttribute(r, out);
        }
      }
    }
    r.leave(outer);
    if (!done) out.size = before;
    return done;
  }

  private writeAttribute(head: Uint8Array, text: string): void {
    this.out.copy(head);
    this.out.utf8(text);
  }

  private headOf(buf: Uint8Array, at: number, end: number): Uint8Array {
    const head = encoder.encode(this.dict.head(utf8Read(buf, at, end)));
    this.heads.set(buf, at, end, head);
    return head;
  }

  /** The span name's id, or null to spell it out. */
  private opOf(buf: Uint8Array, at: number, end: number): number | null {
    let op = this.ops.get(buf, at, end);
    if (op === undefined) {
      op = this.dict.name(utf8Read(buf, at, end));
      if (op === undefined) throw new NotKnown('a name is new');
      this.ops.set(buf, at, end, op);
    }
    return op;
  }

  private setText(i: number, which: number, at: number, len: number): void {
    this.texts[i * 8 + which * 2] = at;
    this.texts[i * 8 + which * 2 + 1] = len;
  }

  /** New buffers for `cap` rows, keeping the rows so far unless told not to. */
  private grow(cap: number, keep = true): void {
    const more = <T extends Uint8Array | Uint32Array | Int32Array>(a: T, make: (n: number) => T, per: number): T => {
      const b = make(cap * per);
      if (keep) b.set(a);
      return b;
    };
    const u32 = (n: number) => new Uint32Array(n);
    const u8 = (n: number) => new Uint8Array(n);
    const i32 = (n: number) => new Int32Array(n);
    this.trace = more(this.trace, u32, 4);
    this.span = more(this.span, u32, 2);
    this.parent = more(this.parent, u32, 2);
    this.start = more(this.start, u32, 2);
    this.dur = more(this.dur, u32, 2);
    this.svc = more(this.svc, u32, 1);
    this.op = more(this.op, u32, 1);
    this.kind = more(this.kind, u8, 1);
    this.status = more(this.status, u8, 1);
    this.flags = more(this.flags, u32, 1);
    this.res = more(this.res, i32, 1);
    this.scope = more(this.scope, i32, 1);
    this.hasParent = more(this.hasParent, u8, 1);
    this.texts = more(this.texts, u32, 8);
    this.keys = more(this.keys, i32, 2);
    this.cap = cap;
  }

  /** Buffers the rows were sent in, handed back by the event loop for later requests' rows. */
  recycle(blocks: ArrayBuffer[]): void {
    for (const b of blocks) this.blocks.give(b);
  }

  /** The rows read, in one buffer of their own to transfer (WorkerRows' views all share it). */
  private finish(): WorkerRows {
    const n = this.n;
    const m = this.traces.size;
    const at = columnOffsets(n);
    // 8-byte-aligned columns first, then the rest in falling alignment
    const startsAt = at.bytes;
    const textsAt = startsAt + m * 16;
    const keysAt = textsAt + n * 32;
    const traceKeysAt = keysAt + n * 8;
    const parentsAt = traceKeysAt + m * 4;
    const bytesAt = parentsAt + n;
    const block = this.blocks.take(bytesAt + this.out.size);
    const from = { trace: this.trace, span: this.span, parent: this.parent, start: this.start, dur: this.dur, svc: this.svc, op: this.op, kind: this.kind, status: this.status, flags: this.flags, res: this.res, scope: this.scope };
    for (const [name, width] of FIXED) new Uint8Array(block, at[name], n * width).set(new Uint8Array(from[name].buffer, 0, n * width));
    const put = <T extends Uint8Array | Uint32Array | Int32Array>(to: T, from: T): T => (to.set(from), to);
    const traceKeys = new Int32Array(block, traceKeysAt, m);
    const traceStarts = new BigInt64Array(block, startsAt, m * 2);
    return {
      n,
      columns: block,
      hasParent: put(new Uint8Array(block, parentsAt, n), this.hasParent.subarray(0, n)),
      texts: put(new Uint32Array(block, textsAt, n * 8), this.texts.subarray(0, n * 8)),
      bytes: put(new Uint8Array(block, bytesAt, this.out.size), this.out.bytes.subarray(0, this.out.size)),
      keys: put(new Int32Array(block, keysAt, n * 2), this.keys.subarray(0, n * 2)),
      traceIds: this.traces.finish(traceKeys, traceStarts),
      traceKeys,
      traceStarts,
    };
  }
}
