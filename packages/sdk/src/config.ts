/** Options from the environment (OTEL_* and SKEIN_*) merged under options given in code. */

import type { SdkOptions, TraceMode, TraceType } from './options.js';
import { parseSampler } from './sampler.js';

type Env = Record<string, string | undefined>;

const INF = Number.POSITIVE_INFINITY;

function bool(env: Env, key: string, dflt: boolean): boolean {
  const v = env[key]?.trim().toLowerCase();
  if (v === undefined || v === '') return dflt;
  if (v === 'true' || v === '1' || v === 'on' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'off' || v === 'no') return false;
  throw new Error(`skein: bad ${key} "${env[key]}": expected true or false`);
}

function int(env: Env, key: string, dflt: number): number {
  const v = env[key]?.trim();
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`skein: bad ${key} "${v}": expected a non-negative integer`);
  return n;
}

/** Parses `k=v,k2=v2` with percent-decoding, as OTEL_RESOURCE_ATTRIBUTES and _HEADERS use. */
export function parseKeyValues(text: string | undefined, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`skein: bad ${key} entry "${part}": expected key=value`);
    out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

function endpoint(env: Env): string {
  const fwd = env.SKEIN_FORWARD_SOCKET?.trim();
  if (fwd) return fwd.startsWith('unix:') ? fwd : `unix:${fwd}`;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base) return base.replace(/\/+$/, '') + '/v1/traces';
  return 'http://localhost:4318/v1/traces';
}

function protocol(env: Env): void {
  const p = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  if (p && p !== 'http/protobuf') {
    throw new Error(`skein: unsupported OTEL_EXPORTER_OTLP_PROTOCOL "${p}": @skein/sdk exports http/protobuf only`);
  }
}

function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], dflt: T): T {
  const v = env[key]?.trim().toLowerCase();
  if (v === undefined || v === '') return dflt;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new Error(`skein: bad ${key} "${env[key]}": expected one of ${allowed.join(', ')}`);
  }
  return v as T;
}

const defaultWarn = (m: string): void => {
  process.stderr.write(`[skein] ${m}\n`);
};

/** Reads every option from `env`; throws an Error naming the variable when one is malformed. */
export function optionsFromEnv(env: Env = process.env): SdkOptions {
  protocol(env);
  const resourceAttributes = parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES');
  const mode = oneOf<TraceMode>(env, 'SKEIN_TRACE_MODE', ['static', 'dynamic'], 'static');
  const attrCount = int(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT', 128);
  const attrLen = int(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', INF);
  const sig = env.SKEIN_TOGGLE_SIGNAL?.trim();
  return {
    disabled: bool(env, 'OTEL_SDK_DISABLED', false),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || resourceAttributes['service.name'] || 'unknown_service:node',
    resourceAttributes,
    endpoint: endpoint(env),
    headers: parseKeyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS'),
    timeoutMs: int(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', int(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 10_000)),
    sampler: parseSampler(env.OTEL_TRACES_SAMPLER, env.OTEL_TRACES_SAMPLER_ARG),
    limits: {
      attributeCount: int(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', attrCount),
      attributeValueLength: int(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', attrLen),
      eventCount: int(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT', 128),
      linkCount: int(env, 'OTEL_SPAN_LINK_COUNT_LIMIT', 128),
      eventAttributeCount: int(env, 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', attrCount),
      linkAttributeCount: int(env, 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', attrCount),
    },
    guard: { maxDurationMs: int(env, 'SKEIN_SPAN_MAX_DURATION_MS', 60_000) },
    mode,
    enabled: bool(env, 'SKEIN_TRACING', mode === 'static'),
    type: oneOf<TraceType>(env, 'SKEIN_TRACE_TYPE', ['auto', 'collated', 'isolated'], 'auto'),
    level: env.SKEIN_TRACE_LEVEL ?? 'info',
    toggleSignal: sig === 'off' ? '' : ((sig || 'SIGUSR2') as NodeJS.Signals),
    control: env.SKEIN_CONTROL?.trim() ?? '',
    queueSize: int(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 8192),
    batchSize: int(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512),
    flushIntervalMs: int(env, 'OTEL_BSP_SCHEDULE_DELAY', 1000),
    exitDeadlineMs: int(env, 'SKEIN_EXIT_DEADLINE_MS', 2000),
    flushOnExit: bool(env, 'SKEIN_FLUSH_ON_EXIT', true),
    metrics: bool(env, 'SKEIN_METRICS', true),
    warnIntervalMs: int(env, 'SKEIN_WARN_INTERVAL_MS', 300_000),
    warn: defaultWarn,
  };
}

/** Environment first, then code: options passed to `init()` win. */
export function resolveOptions(given: Partial<SdkOptions> = {}, env: Env = process.env): SdkOptions {
  const base = optionsFromEnv(env);
  const out = { ...base, ...stripUndefined(given) } as SdkOptions;
  if (given.limits) out.limits = { ...base.limits, ...given.limits };
  if (given.guard) out.guard = { ...base.guard, ...given.guard };
  if (given.mode === 'dynamic' && given.enabled === undefined && env.SKEIN_TRACING === undefined) out.enabled = false;
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
