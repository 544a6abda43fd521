/** In-process checks against a real OTLP/HTTP receiver: levels, dynamic switching, limits, metrics, logs, carriers. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Span as ApiSpan } from '@opentelemetry/api';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  annotateWithContext,
  bridgeConsole,
  component,
  contextFromAnnotations,
  contextFromEnv,
  contextFromHeaders,
  envWithContext,
  headersWithContext,
  init,
  pinoHooks,
} from './index.js';
import type { SdkHandle } from './index.js';
import { attr, orphans, startOtlpReceiver } from './test-support/receiver.js';

let rx: Awaited<ReturnType<typeof startOtlpReceiver>>;
let sdk: SdkHandle;
const warnings: string[] = [];

beforeAll(async () => {
  rx = await startOtlpReceiver();
  sdk = init(
    {
      endpoint: rx.url,
      serviceName: 'sdk-test',
      level: 'info,storage=debug',
      mode: 'dynamic',
      enabled: true,
      flushOnExit: false,
      flushIntervalMs: 20,
      limits: { attributeCount: 4, attributeValueLength: 8, eventCount: 3, linkCount: 2, eventAttributeCount: 2, linkAttributeCount: 2 },
      guard: { maxDurationMs: 30 },
      warn: (m) => warnings.push(m),
    },
    {},
  );
});
afterAll(async () => {
  await sdk.shutdown();
  await rx.close();
});
beforeEach(() => {
  rx.spans.length = 0;
  sdk.setEnabled(true);
});

const byName = (name: string) => rx.spans.filter((s) => s.name === name);

describe('levels', () => {
  it('drops debug spans at threshold info and hangs their children under the nearest recorded ancestor', async () => {
    const app = component('app');
    const storage = component('storage');
    app.span('info', 'request', () =>
      app.span('debug', 'parse', () =>
        app.span('trace', 'tokenize', () => {
          app.span('info', 'validate', () => {});
          storage.span('debug', 'storage.read', () => {});
        }),
      ),
    );
    await sdk.forceFlush();
    expect(byName('parse')).toHaveLength(0);
    expect(byName('tokenize')).toHaveLength(0);
    const [req] = byName('request');
    const [val] = byName('validate');
    const [read] = byName('storage.read');
    expect(val!.parentSpanId).toBe(req!.spanId);
    // storage's threshold is debug, so its debug span is kept, under the same recorded ancestor.
    expect(read!.parentSpanId).toBe(req!.spanId);
    expect(attr(read!, 'skein.level')).toBe('debug');
    expect(orphans(rx.spans)).toEqual([]);
  });

  it('changes thresholds at run time', async () => {
    sdk.setLevel('debug');
    component('app').span('debug', 'now-visible', () => {});
    sdk.setLevel('info,storage=debug');
    await sdk.forceFlush();
    expect(byName('now-visible')).toHaveLength(1);
  });
});

describe('dynamic mode', () => {
  it('stores only complete traces while switching on and off under concurrent load', async () => {
    const t = trace.getTracer('dyn');
    const nested = (depth: number): Promise<void> =>
      t.startActiveSpan(`d${depth}`, async (s: ApiSpan) => {
        await sleep(Math.random() * 3);
        if (depth < 3) await Promise.all([nested(depth + 1), nested(depth + 1)]);
        s.end();
      });
    sdk.setEnabled(false);
    let stop = false;
    const flipper = (async () => {
      while (!stop) {
        await sleep(2 + Math.random() * 4);
        sdk.setEnabled(!sdk.enabled);
      }
    })();
    const load = Array.from({ length: 30 }, async () => {
      for (let i = 0; i < 6; i++) await nested(0);
    });
    await Promise.all(load);
    stop = true;
    await flipper;
    await sdk.forceFlush();
    const roots = rx.spans.filter((s) => s.parentSpanId === '');
    expect(roots.length).toBeGreaterThan(5);
    expect(roots.length).toBeLessThan(180);
    expect(orphans(rx.spans)).toEqual([]);
    // Every recorded trace is whole: a root and its 14 descendants.
    const perTrace = new Map<string, number>();
    for (const s of rx.spans) perTrace.set(s.traceId, (perTrace.get(s.traceId) ?? 0) + 1);
    expect([...perTrace.values()].every((n) => n === 15)).toBe(true);
  });

  it('keeps span metrics while tracing is off', async () => {
    sdk.setEnabled(false);
    const before = sdk.metrics!.count('metered-op', 'error');
    const s = trace.getTracer('m').startSpan('metered-op');
    s.setStatus({ code: 2 });
    s.end();
    expect(s.isRecording()).toBe(false);
    expect(sdk.metrics!.count('metered-op', 'error')).toBe(before + 1);
    const text = sdk.metrics!.prometheus();
    expect(text).toContain('skein_span_duration_seconds_count{span_name="metered-op",status="error"} 1');
    expect(text).toMatch(/skein_sdk_spans_exported_total \d+/);
  });
});

describe('span limits and guards', () => {
  it('truncates and counts attributes, events and links, and flags long spans once', async () => {
    const t = trace.getTracer('limits');
    const link = { context: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 } };
    const s = t.startSpan('limited', { links: [link, link, link] });
    s.setAttributes({ a: 'abcdefghijkl', b: 1, c: 2, d: 3, e: 4, f: 5 });
    for (let i = 0; i < 10; i++) s.addEvent(`ev${i}`, { x: 1, y: 2, z: 3 });
    await sleep(40);
    s.end();
    await sdk.forceFlush();
    const [got] = byName('limited');
    expect(attr(got!, 'a')).toBe('abcdefgh');
    expect(got!.droppedAttributesCount).toBe(2);
    expect(got!.events).toHaveLength(3);
    expect(got!.droppedEventsCount).toBe(7);
    expect(got!.events[0]!.droppedAttributesCount).toBe(1);
    expect(got!.links).toHaveLength(2);
    expect(got!.droppedLinksCount).toBe(1);
    expect(attr(got!, 'skein.guard.long_span')).toBe(true);
    expect(warnings.filter((w) => w.includes('"limited" exceeded 3 events'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('"limited" stayed open'))).toHaveLength(1);
  });

  it('emits one bounded span per iteration with stages under it', async () => {
    const c = component('pipeline');
    for (let i = 0; i < 3; i++) {
      await c.iteration(async () => {
        await c.stage('read', async () => sleep(1));
        c.stage('process', () => {});
        await c.stage('send', async () => sleep(1));
      });
    }
    await sdk.forceFlush();
    const its = byName('pipeline.iteration');
    expect(its.map((s) => attr(s, 'skein.iteration'))).toEqual([1n, 2n, 3n]);
    for (const it of its) {
      const stages = rx.spans.filter((s) => s.parentSpanId === it.spanId).map((s) => s.name);
      expect(stages).toEqual(['pipeline.read', 'pipeline.process', 'pipeline.send']);
    }
  });
});

describe('logs into traces', () => {
  it('records pino debug/info as span events and still writes warnings', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = pino({ level: 'debug', hooks: pinoHooks() }, sink);
    trace.getTracer('log').startActiveSpan('logged', (s) => {
      log.debug({ key: 'k1' }, 'cache miss');
      log.info('loaded');
      log.warn('slow disk');
      s.end();
    });
    await sdk.forceFlush();
    const [got] = byName('logged');
    expect(got!.events.map((e) => e.name)).toEqual(['cache miss', 'loaded', 'slow disk']);
    expect(got!.events[0]!.attributes).toContainEqual({ key: 'log.key', value: 'k1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('slow disk');
  });

  it('records console.info as an event and lets console.error through', async () => {
    const printed: string[] = [];
    const con = { debug: () => {}, info: (m: string) => printed.push(m), log: (m: string) => printed.push(m), warn: (m: string) => printed.push(m), error: (m: string) => printed.push(m) } as unknown as Console;
    const restore = bridgeConsole({}, con);
    con.info('outside any span');
    trace.getTracer('log').startActiveSpan('console-logged', (s) => {
      con.info('step %d done', 2);
      con.error('broken');
      s.end();
    });
    restore();
    await sdk.forceFlush();
    expect(byName('console-logged')[0]!.events.map((e) => e.name)).toEqual(['step 2 done', 'broken']);
    expect(printed).toEqual(['outside any span', 'broken']);
  });
});

describe('carriers', () => {
  it('round-trips the active context through env, headers and Kubernetes annotations', () => {
    const t = trace.getTracer('carrier');
    const span = t.startSpan('carried');
    const bag = propagation.createBaggage({ tenant: { value: 'a b' } });
    const ctx = propagation.setBaggage(trace.setSpan(context.active(), span), bag);
    const sc = span.spanContext();
    const env = envWithContext({ PATH: '/bin', TRACEPARENT: 'stale' }, ctx);
    expect(env.PATH).toBe('/bin');
    expect(env.TRACEPARENT).toBe(`00-${sc.traceId}-${sc.spanId}-01`);
    expect(env.BAGGAGE).toBe('tenant=a%20b');
    const back = contextFromEnv(env);
    expect(trace.getSpanContext(back)).toMatchObject({ traceId: sc.traceId, spanId: sc.spanId, isRemote: true });
    expect(propagation.getBaggage(back)?.getEntry('tenant')?.value).toBe('a b');
    const h = headersWithContext({ accept: 'x' }, ctx);
    expect(trace.getSpanContext(contextFromHeaders({ TraceParent: h.traceparent }))?.spanId).toBe(sc.spanId);
    const pod = annotateWithContext({ metadata: { name: 'p', annotations: { keep: 'me' } } }, ctx);
    expect(pod.metadata.annotations!.keep).toBe('me');
    expect(trace.getSpanContext(contextFromAnnotations(pod))?.traceId).toBe(sc.traceId);
    expect(trace.getSpanContext(contextFromEnv({ TRACEPARENT: '00-zz-11-01' }))).toBeUndefined();
    expect(envWithContext({}, ROOT_CONTEXT)).toEqual({});
    span.end();
  });
});
