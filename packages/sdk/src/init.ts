/** init(): reads the environment, registers the global TracerProvider, context manager and propagator. */

import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { resolveOptions } from './config.js';
import { AlsContextManager } from './context-manager.js';
import { installSignalToggle, startControl } from './control.js';
import { installExitHooks } from './exit.js';
import { sendSync } from './export/sync-send.js';
import type { SpanMetrics } from './metrics.js';
import type { SdkOptions } from './options.js';
import { contextFromEnv } from './propagation/env.js';
import { W3CPropagator } from './propagation/w3c.js';
import { SkeinProvider } from './provider.js';

export interface SdkHandle {
  /** False when OTEL_SDK_DISABLED left the no-op API in place. */
  readonly active: boolean;
  readonly provider: SkeinProvider | null;
  readonly metrics: SpanMetrics | null;
  /** Whether new traces are started (dynamic mode's switch); traces in flight always finish. */
  readonly enabled: boolean;
  setEnabled(on: boolean): void;
  /** Changes level thresholds at run time (`info,storage=debug`). */
  setLevel(text: string): void;
  /** Where the control endpoint listens (dynamic mode with SKEIN_CONTROL), once it does. */
  readonly control: Promise<string | null>;
  forceFlush(deadlineMs?: number): Promise<void>;
  shutdown(deadlineMs?: number): Promise<void>;
  tracer(component: string, version?: string): Tracer;
}

let current: SdkHandle | null = null;

/** The provider of the running SDK, or null (used by the helpers' fast path). */
export function activeProvider(): SkeinProvider | null {
  return current?.provider ?? null;
}

const NOOP: SdkHandle = {
  active: false,
  provider: null,
  metrics: null,
  enabled: false,
  setEnabled: () => {},
  setLevel: () => {},
  control: Promise.resolve(null),
  forceFlush: async () => {},
  shutdown: async () => {},
  tracer: (c, v) => trace.getTracer(c, v),
};

/**
 * Starts the SDK. With no argument everything comes from the environment (OTEL_*, SKEIN_*);
 * options given here win. Never throws for an unreachable backend; throws for malformed settings.
 */
export function init(options: Partial<SdkOptions> = {}, env: Record<string, string | undefined> = process.env): SdkHandle {
  if (current) {
    current.provider?.warnOnce('init', 'init() called twice; the first SDK stays in place');
    return current;
  }
  const o = resolveOptions(options, env);
  if (o.disabled) return NOOP;

  const provider = new SkeinProvider(o);
  const q = provider.queue;
  // Collated: root spans join the parent carried by TRACEPARENT (or an explicit carrier).
  let base = ROOT_CONTEXT;
  if (o.type !== 'isolated') base = contextFromEnv(o.parent ?? env);
  const cm = new AlsContextManager(base);
  context.setGlobalContextManager(cm);
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CPropagator());

  const cleanups: (() => void | Promise<void>)[] = [];
  const sw = {
    enabled: () => provider.state.enabled,
    set: (on: boolean) => void (provider.state.enabled = on),
  };
  let control: Promise<string | null> = Promise.resolve(null);
  if (o.mode === 'dynamic') {
    if (o.toggleSignal) cleanups.push(installSignalToggle(o.toggleSignal, sw));
    if (o.control) {
      const started = startControl(o.control, sw, provider.metrics);
      control = started.then((c) => {
        cleanups.push(c.close);
        return c.address;
      });
      control.catch((e: Error) => o.warn(e.message));
    }
  }
  if (o.flushOnExit) {
    cleanups.push(
      installExitHooks(
        {
          flush: (d) => q.flush(d),
          pending: () => q.length,
          drainSync: (d) => {
            for (const body of q.takeEncoded()) sendSync(o.endpoint, o.headers, body, d);
          },
        },
        o.exitDeadlineMs,
      ),
    );
  }

  const handle: SdkHandle = {
    active: true,
    provider,
    metrics: provider.metrics,
    get enabled() {
      return provider.state.enabled;
    },
    setEnabled: sw.set,
    setLevel: (t) => provider.setLevel(t),
    control,
    forceFlush: (d = o.exitDeadlineMs * 5) => q.flush(d),
    async shutdown(d = o.exitDeadlineMs) {
      if (current !== handle) return;
      current = null;
      await q.flush(d);
      for (const c of cleanups) await c();
      await q.close();
      trace.disable();
      context.disable();
      propagation.disable();
    },
    tracer: (c, v) => provider.getTracer(c, v),
  };
  current = handle;
  return handle;
}
