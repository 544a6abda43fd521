/**
 * `skein serve --config FILE`: YAML in the OpenTelemetry Collector's shape
 * (receivers / processors / exporters / service.pipelines.traces), validated by one schema that
 * also yields the types. Errors name the bad key by its path, e.g. `receivers.otlp.protocols.htp`.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDurationNs } from '@skein/model';

const endpoint = z.strictObject({ endpoint: z.string() });
const duration = z.union([z.string(), z.number()]);

const receivers = z.strictObject({
  otlp: z
    .strictObject({
      protocols: z.strictObject({ grpc: endpoint.optional(), http: endpoint.optional() }),
    })
    .optional(),
  zipkin: endpoint.optional(),
  jaeger: z
    .strictObject({
      protocols: z.strictObject({
        thrift_http: endpoint.optional(),
        thrift_compact: endpoint.optional(),
        thrift_binary: endpoint.optional(),
      }),
    })
    .optional(),
  datadog: endpoint.optional(),
});

const processors = z.strictObject({
  batch: z.strictObject({ send_batch_size: z.number().int().positive().optional(), timeout: duration.optional() }).optional(),
  memory_limiter: z
    .strictObject({
      limit_mib: z.number().positive().optional(),
      max_in_flight_spans: z.number().int().positive().optional(),
      check_interval: duration.optional(),
    })
    .optional(),
});

const remote = z.strictObject({
  endpoint: z.string(),
  compression: z.enum(['gzip', 'none']).optional(),
  encoding: z.enum(['proto', 'json']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeout: duration.optional(),
});

/** Exporter keys may carry a name after a slash, as in the Collector: `otlphttp/tempo`. */
const EXPORTER_TYPES = {
  skein: z.strictObject({}).nullable(),
  otlp: remote,
  otlphttp: remote,
  zipkin: remote,
  jaeger_thrift_http: remote,
  datadog: remote,
  file: z.strictObject({
    path: z.string(),
    rotation: z.strictObject({ max_megabytes: z.number().positive().optional(), max_backups: z.number().int().min(0).optional() }).optional(),
  }),
} as const;
export type ExporterType = keyof typeof EXPORTER_TYPES;

const storage = z.strictObject({
  data: z.string().optional(),
  memory: z.boolean().optional(),
  /** A ClickHouse HTTP URL: the store is that server instead of the DuckDB file under data. */
  clickhouse: z.string().optional(),
  retention: z.string().optional(),
  max_size: z.string().optional(),
  http: z.string().optional(),
});

const schema = z.strictObject({
  receivers: receivers.optional(),
  processors: processors.optional(),
  exporters: z.record(z.string(), z.unknown()).optional(),
  /** Skein's own section: where the store lives and the UI listens. */
  skein: storage.optional(),
  service: z.strictObject({
    pipelines: z.strictObject({
      traces: z.strictObject({
        receivers: z.array(z.string()).min(1),
        processors: z.array(z.string()).optional(),
        exporters: z.array(z.string()).min(1),
      }),
    }),
  }),
});

export type ServeConfigFile = z.infer<typeof schema>;

export interface ExporterSpec {
  id: string;
  type: ExporterType;
  config: Record<string, unknown>;
}

export interface ServeConfig {
  file: ServeConfigFile;
  exporters: ExporterSpec[];
}

export class ConfigError extends Error {}

function describe(issues: z.core.$ZodIssue[], prefix: string[] = []): string {
  return issues
    .map((i) => {
      const path = [...prefix, ...i.path.map(String)];
      const keys = i.code === 'unrecognized_keys' ? i.keys.map((k) => [...path, k].join('.')).join(', ') : path.join('.');
      return i.code === 'unrecognized_keys' ? `unknown key ${keys}` : `${keys || '(top level)'}: ${i.message}`;
    })
    .join('; ');
}

export function parseServeConfig(text: string, source = 'config'): ServeConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(`${source}: ${describe(parsed.error.issues)}`);
  const file = parsed.data;
  const exporters: ExporterSpec[] = [];
  for (const [id, value] of Object.entries(file.exporters ?? {})) {
    const type = id.split('/')[0] as ExporterType;
    const shape = EXPORTER_TYPES[type];
    if (!shape) throw new ConfigError(`${source}: exporters.${id}: unknown exporter type "${type}" (known: ${Object.keys(EXPORTER_TYPES).join(', ')})`);
    const cfg = shape.safeParse(value ?? {});
    if (!cfg.success) throw new ConfigError(`${source}: ${describe(cfg.error.issues, ['exporters', id])}`);
    exporters.push({ id, type, config: (cfg.data ?? {}) as Record<string, unknown> });
  }
  const p = file.service.pipelines.traces;
  const declared = {
    receivers: Object.keys(file.receivers ?? {}),
    processors: Object.keys(file.processors ?? {}),
    exporters: exporters.map((e) => e.id),
  };
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    (p[kind] ?? []).forEach((name, i) => {
      if (!declared[kind].includes(name)) {
        throw new ConfigError(`${source}: service.pipelines.traces.${kind}[${i}]: "${name}" is not declared under ${kind}:`);
      }
    });
  }
  return { file, exporters: exporters.filter((e) => p.exporters.includes(e.id)) };
}

export async function loadServeConfig(path: string): Promise<ServeConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`--config: cannot read ${path}: ${(err as Error).message}`);
  }
  return parseServeConfig(text, path);
}

/**
 * The endpoint of every serve receiver option that the config's pipeline uses; receivers the
 * pipeline does not name are `off`.
 */
export function receiverEndpoints(config: ServeConfig): Record<string, string> {
  const f = config.file;
  const used = new Set(f.service.pipelines.traces.receivers);
  const r = f.receivers ?? {};
  const on = (name: string, e: { endpoint: string } | undefined) => (used.has(name) && e ? e.endpoint : 'off');
  return {
    otlpGrpc: on('otlp', r.otlp?.protocols.grpc),
    otlpHttp: on('otlp', r.otlp?.protocols.http),
    zipkin: on('zipkin', r.zipkin),
    jaegerHttp: on('jaeger', r.jaeger?.protocols.thrift_http),
    jaegerCompact: on('jaeger', r.jaeger?.protocols.thrift_compact),
    jaegerBinary: on('jaeger', r.jaeger?.protocols.thrift_binary),
    datadog: on('datadog', r.datadog),
  };
}

/** A config duration (`20ms`, `1s`, or a number of ms) in ms; `def` when absent or unreadable. */
export function durationMs(d: string | number | undefined, def: number): number {
  if (d === undefined) return def;
  if (typeof d === 'number') return d;
  const ns = parseDurationNs(d);
  return ns === undefined ? def : Number(ns / 1_000_000n);
}
