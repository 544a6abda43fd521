/**
 * Where the CLI sends spans: flags first, then SKEIN_* variables an outer `skein exec` handed
 * down, then the standard OTEL_EXPORTER_OTLP_* variables, then a local `skein serve`.
 */

export type Protocol = 'http/protobuf' | 'http/json' | 'grpc' | 'framed';

export interface ExportTarget {
  protocol: Protocol;
  /** http(s)://host:port/path for HTTP; http(s)://host:port for gRPC; unix:/path or tcp://host:port for framed. */
  url: string;
  headers: Record<string, string>;
  /** Overall budget for one export, ms. */
  timeoutMs: number;
  /** Budget to establish a connection, ms: short, so an absent backend costs little. */
  connectTimeoutMs: number;
}

export interface TargetFlags {
  endpoint?: string;
  protocol?: string;
}

const PROTOCOLS: Protocol[] = ['http/protobuf', 'http/json', 'grpc', 'framed'];
type Env = Record<string, string | undefined>;

const VARS = [
  'SKEIN_ENDPOINT',
  'SKEIN_PROTOCOL',
  'SKEIN_CONNECT_TIMEOUT',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
];

export function resolveTarget(flags: TargetFlags, rawEnv: Env = process.env): ExportTarget {
  // empty variables count as unset, as the OpenTelemetry SDKs treat them; read only ours
  // (enumerating process.env costs start-up time)
  const env: Env = {};
  for (const k of VARS) if (rawEnv[k]) env[k] = rawEnv[k];
  const endpointFlag = flags.endpoint || env.SKEIN_ENDPOINT;
  let protocolText = flags.protocol || env.SKEIN_PROTOCOL || env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (endpointFlag?.startsWith('unix:') && protocolText === undefined) protocolText = 'framed';
  const protocol = (protocolText ?? 'http/protobuf') as Protocol;
  if (!PROTOCOLS.includes(protocol)) {
    throw new Error(`protocol "${protocolText}" is not one of ${PROTOCOLS.join(', ')} (set --protocol or OTEL_EXPORTER_OTLP_PROTOCOL)`);
  }
  const timeoutMs = Number(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT ?? 3000) || 3000;
  const connectTimeoutMs = Math.min(timeoutMs, Number(env.SKEIN_CONNECT_TIMEOUT ?? 500) || 500);
  const headers = parseHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS ?? '');
  // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is a full URL, per the spec; the others are bases
  const [given, full] =
    endpointFlag !== undefined ? [endpointFlag, false]
    : env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? [env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, true]
    : env.OTEL_EXPORTER_OTLP_ENDPOINT ? [env.OTEL_EXPORTER_OTLP_ENDPOINT, false]
    : [protocol === 'grpc' ? 'http://127.0.0.1:4317' : 'http://127.0.0.1:4318', false];
  if (protocol !== 'framed' && !/^https?:\/\//.test(given)) {
    throw new Error(`endpoint "${given}" is not an http:// or https:// URL (unix:/path is for --protocol framed)`);
  }
  const url = full ? given : withPath(given, protocol);
  return { protocol, url, headers, timeoutMs, connectTimeoutMs };
}

/** A base URL gets /v1/traces for HTTP protocols, as OTEL_EXPORTER_OTLP_ENDPOINT is defined. */
function withPath(base: string, protocol: Protocol): string {
  if (protocol === 'grpc' || protocol === 'framed') return base;
  if (/^https?:\/\/[^/]+\/.+/.test(base) && base.endsWith('/v1/traces')) return base;
  return base.replace(/\/+$/, '') + '/v1/traces';
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

/** The variables an outer command hands down so nested calls export to the same place. */
export function inheritEnv(flags: TargetFlags, env: Record<string, string>): void {
  if (flags.endpoint !== undefined) env.SKEIN_ENDPOINT = flags.endpoint;
  if (flags.protocol !== undefined) env.SKEIN_PROTOCOL = flags.protocol;
}
