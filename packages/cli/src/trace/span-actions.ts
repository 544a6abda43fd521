/** What `skein span`, `span start`, `span event` and `span end` do (loaded only when run). */
import { writeFileSync } from 'node:fs';
import type { SpanFlags } from '../commands/span.js';
import { deliverSpans } from '../export/deliver.js';
import { CliError, usageError } from '../errors.js';
import { appendEvent, loadBackground, removeBackground, saveBackground } from './background.js';
import { parseAttr, parseKind, parseStatus, type CliSpan } from './cli-span.js';
import { formatTraceparent, parseTraceparent, randomHex } from './context.js';
import { readCarrier, resolveParent, resolveService } from './parent.js';
import { parseTimeNs } from './time.js';

function input<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof CliError ? e : usageError((e as Error).message);
  }
}

function newSpan(o: SpanFlags, startNs: bigint): CliSpan {
  const parent = resolveParent({ traceparent: o.traceparent, carrier: o.carrier, quiet: o.quiet });
  return {
    traceId: parent?.traceId ?? randomHex(32),
    spanId: randomHex(16),
    parentSpanId: parent?.spanId ?? '',
    traceState: parent?.traceState ?? '',
    flags: parent?.flags ?? 1,
    name: o.name!,
    kind: input(() => parseKind(o.kind)),
    startNs,
    endNs: startNs,
    attributes: input(() => o.attr.map(parseAttr)),
    events: [],
    statusCode: 0,
    statusMessage: '',
    service: resolveService(o.service),
  };
}

export async function recordFinished(o: SpanFlags): Promise<void> {
  const startNs = input(() => parseTimeNs(o.start!, '--start'));
  const endNs = input(() => parseTimeNs(o.end ?? 'now', '--end'));
  if (endNs < startNs) throw usageError(`--end (${o.end}) is before --start (${o.start})`);
  const span = newSpan(o, startNs);
  span.endNs = endNs;
  span.statusCode = input(() => parseStatus(o.status));
  span.statusMessage = o.statusMessage ?? '';
  if (o.print) process.stdout.write(formatTraceparent(span.traceId, span.spanId, span.flags) + '\n');
  await deliverSpans([span], { ...o, root: !span.parentSpanId });
}

export async function startBackground(o: SpanFlags): Promise<void> {
  const carrierOut = o.carrier;
  const span = newSpan({ ...o, carrier: undefined }, input(() => parseTimeNs(o.start ?? 'now', '--start')));
  saveBackground({ span, target: { endpoint: o.endpoint, protocol: o.protocol } });
  const tp = formatTraceparent(span.traceId, span.spanId, span.flags);
  if (carrierOut !== undefined) {
    const lines = `TRACEPARENT=${tp}\n` + (span.traceState ? `TRACESTATE=${span.traceState}\n` : '');
    writeFileSync(carrierOut, lines);
  }
  if (carrierOut === undefined || o.print) process.stdout.write(tp + '\n');
}

/** The background span an event or end refers to: --span-id, --carrier, then $TRACEPARENT. */
function targetSpanId(o: SpanFlags): string {
  if (o.spanId) {
    if (!/^[0-9a-f]{16}$/i.test(o.spanId)) throw usageError(`--span-id "${o.spanId}" is not 16 hex digits`);
    return o.spanId.toLowerCase();
  }
  const tp = o.carrier !== undefined ? input(() => readCarrier(o.carrier!)).traceparent : process.env.TRACEPARENT;
  const ctx = input(() => parseTraceparent(tp));
  if (!ctx) {
    throw usageError('which span? set TRACEPARENT to the output of `skein span start`, or pass --carrier FILE or --span-id ID');
  }
  return ctx.spanId;
}

export async function addEvent(o: SpanFlags): Promise<void> {
  const spanId = targetSpanId(o);
  const event = { name: o.name!, timeNs: input(() => parseTimeNs(o.time ?? 'now', '--time')), attributes: input(() => o.attr.map(parseAttr)) };
  input(() => appendEvent(spanId, event));
}

export async function endBackground(o: SpanFlags): Promise<void> {
  const spanId = targetSpanId(o);
  const state = input(() => loadBackground(spanId));
  const span = state.span;
  span.endNs = input(() => parseTimeNs(o.end ?? 'now', '--end'));
  span.attributes.push(...input(() => o.attr.map(parseAttr)));
  span.statusCode = input(() => parseStatus(o.status));
  span.statusMessage = o.statusMessage ?? '';
  removeBackground(spanId);
  await deliverSpans([span], {
    endpoint: o.endpoint ?? state.target.endpoint,
    protocol: o.protocol ?? state.target.protocol,
    quiet: o.quiet,
    root: !span.parentSpanId,
  });
}
