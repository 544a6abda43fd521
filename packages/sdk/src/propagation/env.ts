/** Context through environment variables (TRACEPARENT, TRACESTATE, BAGGAGE), per OpenTelemetry's env carrier rules. */

import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { W3CPropagator } from './w3c.js';

type Env = Record<string, string | undefined>;
const w3c = new W3CPropagator();
export const ENV_CARRIER_KEYS = ['TRACEPARENT', 'TRACESTATE', 'BAGGAGE'] as const;

/** Env variable names are the header names upper-cased (the OpenTelemetry env carrier spec). */
const envSetter: TextMapSetter<Env> = { set: (c, k, v) => void (c[k.toUpperCase()] = v) };
const envGetter: TextMapGetter<Env> = {
  get: (c, k) => c[k.toUpperCase()],
  keys: (c) => Object.keys(c),
};

/** A copy of `env` whose TRACEPARENT/TRACESTATE/BAGGAGE carry `ctx` (the active context by default). */
export function envWithContext(env: Env = process.env, ctx: Context = context.active()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in env) {
    const v = env[k];
    if (v !== undefined && !(ENV_CARRIER_KEYS as readonly string[]).includes(k)) out[k] = v;
  }
  w3c.inject(ctx, out, envSetter);
  return out;
}

/** The context carried by `env` (parent span context and baggage), on top of `base`. */
export function contextFromEnv(env: Env = process.env, base: Context = ROOT_CONTEXT): Context {
  return w3c.extract(base, env, envGetter);
}
