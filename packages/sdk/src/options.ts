/** The options of `init()`; every one has an environment variable (see config.ts). */

import type { TextMapGetter } from '@opentelemetry/api';
import type { SamplerSpec } from './sampler.js';

export type TraceMode = 'static' | 'dynamic';
/** collated: join a parent context when one is given; isolated: always start own traces. */
export type TraceType = 'auto' | 'collated' | 'isolated';

export interface SpanLimits {
  attributeCount: number;
  attributeValueLength: number;
  eventCount: number;
  linkCount: number;
  eventAttributeCount: number;
  linkAttributeCount: number;
}

export interface GuardOptions {
  /** A span open longer than this (ms) is flagged `skein.guard.long_span` and warned about once per name. */
  maxDurationMs: number;
}

export interface SdkOptions {
  disabled: boolean;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  /** OTLP/HTTP traces URL, `unix:/path` for skein forward's framed socket, or '' for none. */
  endpoint: string;
  headers: Record<string, string>;
  timeoutMs: number;
  sampler: SamplerSpec;
  limits: SpanLimits;
  guard: GuardOptions;
  mode: TraceMode;
  /** Initial state; in dynamic mode usually false until switched on. */
  enabled: boolean;
  type: TraceType;
  /** An explicit parent carrier (for collated traces); defaults to the process environment. */
  parent?: Record<string, string | undefined>;
  parentGetter?: TextMapGetter<Record<string, string | undefined>>;
  /** `SKEIN_TRACE_LEVEL` syntax: `info,storage=debug`. */
  level: string;
  /** Dynamic mode: the signal that toggles tracing, or '' for none. */
  toggleSignal: NodeJS.Signals | '';
  /** Dynamic mode: `unix:/path`, `host:port` or `:port` control endpoint, or '' for none. */
  control: string;
  queueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  /** Upper bound for the flush on exit, SIGTERM or SIGINT. */
  exitDeadlineMs: number;
  /** Install exit/signal handlers that flush (static mode needs them to keep the last spans). */
  flushOnExit: boolean;
  metrics: boolean;
  /** Minimum ms between two "backend unreachable" warnings. */
  warnIntervalMs: number;
  /** Where warnings go; defaults to stderr. */
  warn: (message: string) => void;
}
