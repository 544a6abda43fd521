/**
 * `skein forward --config FILE`: YAML in the OpenTelemetry Collector's shape (receivers,
 * exporters, service.pipelines.traces) plus a `forward:` section for the spool. Validated by one
 * schema; a bad key is reported by its path. Flags given on the command line win over the file.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const endpoint = z.strictObject({ endpoint: z.string() });
const frameOpts = {
  header_bytes: z.union([z.literal(4), z.literal(8)]).optional(),
  max_frame_bytes: z.number().int().positive().optional(),
};
const remote = z.strictObject({
  endpoint: z.string(),
  compression: z.enum(['gzip', 'none']).optional(),
  encoding: z.enum(['proto', 'json']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeout: z.union([z.string(), z.number()]).optional(),
});

const EXPORTERS = {
  otlp: remote,
  otlphttp: remote,
  zipkin: remote,
  jaeger_thrift_http: remote,
  datadog: remote,
  file: z.strictObject({ path: z.string() }),
  /** Any `--to` URL. */
  forward: z.strictObject({ url: z.string() }),
} as const;

const schema = z.strictObject({
  receivers: z
    .strictObject({
      otlp: z.strictObject({ protocols: z.strictObject({ grpc: endpoint.optional(), http: endpoint.optional() }) }).optional(),
      framed: z.strictObject({ endpoint: z.string(), ...frameOpts }).optional(),
      hybrid_vsock: z.strictObject({ path: z.string(), ...frameOpts }).optional(),
    })
    .optional(),
  exporters: z.record(z.string(), z.unknown()).optional(),
  forward: z
    .strictObject({
      spool: z
        .strictObject({
          directory: z.string().optional(),
          max_size: z.union([z.string(), z.number()]).optional(),
          fsync: z.string().optional(),
          when_full: z.enum(['drop-oldest', 'refuse']).optional(),
        })
        .optional(),
      http: endpoint.optional(),
      route_by_trace_id: z.boolean().optional(),
    })
    .optional(),
  service: z
    .strictObject({
      pipelines: z.record(z.string(), z.strictObject({ receivers: z.array(z.string()).optional(), exporters: z.array(z.string()) })),
    })
    .optional(),
});

export type ForwardFileConfig = z.infer<typeof schema>;

/** One destination from the file: its config key (the cursor's name) and the URL it means. */
export interface FileDestination {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

/** `1GB`, `512MiB`, `100mb`, `2e9` or a number of bytes. */
export function parseSize(text: string | number, what = 'size'): number {
  if (typeof text === 'number' && text > 0) return text;
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]?)(i?)b?\s*$/i.exec(String(text));
  if (!m) throw new Error(`${what}: "${text}" is not a size like 512MB, 1GiB or 1000000`);
  const pow = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  const n = Number(m[1]) * (m[3] ? 1024 : 1000) ** pow;
  if (!(n > 0)) throw new Error(`${what}: "${text}" must be more than 0 bytes`);
  return Math.floor(n);
}

/** `batch` or an interval such as `100ms`, `1s`. */
export function parseFsync(text: string): 'batch' | { intervalMs: number } {
  if (text === 'batch') return 'batch';
  const m = /^(\d+)\s*(ms|s)$/.exec(text.trim());
  if (!m) throw new Error(`fsync: "${text}" is not "batch" or an interval like 100ms`);
  return { intervalMs: Number(m[1]) * (m[2] === 's' ? 1000 : 1) };
}

function withQuery(url: string, q: Record<string, string | undefined>): string {
  const parts = Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(v!)}`);
  return parts.length ? `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}` : url;
}

function stripScheme(e: string): string {
  return e.replace(/^https?:\/\//, '');
}

/** The URL a Collector-style exporter entry means, in `--to` syntax. */
function exporterUrl(key: string, type: string, v: unknown): FileDestination {
  const parsed = (EXPORTERS as Record<string, z.ZodType>)[type]?.safeParse(v);
  if (!parsed) throw new Error(`exporters.${key}: unknown exporter type "${type}" (use one of ${Object.keys(EXPORTERS).join(', ')})`);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`exporters.${key}.${issue.path.join('.')}: ${issue.message}`);
  }
  const c = parsed.data as Record<string, unknown> & { endpoint?: string; headers?: Record<string, string> };
  const gzip = c.compression === 'gzip' ? '1' : undefined;
  switch (type) {
    case 'otlp':
      return { name: key, url: withQuery(`otlp-grpc://${stripScheme(c.endpoint!)}`, { gzip }), headers: c.headers };
    case 'otlphttp':
      return {
        name: key,
        url: withQuery(`otlp-http://${stripScheme(c.endpoint!)}`, { gzip, encoding: c.encoding === 'json' ? 'json' : undefined }),
        headers: c.headers,
      };
    case 'zipkin':
      return { name: key, url: `zipkin://${stripScheme(c.endpoint!)}` };
    case 'jaeger_thrift_http':
      return { name: key, url: `jaeger-http://${stripScheme(c.endpoint!)}` };
    case 'datadog':
      return { name: key, url: `datadog://${stripScheme(c.endpoint!)}` };
    case 'file':
      return { name: key, url: `file:${c.path as string}` };
    default:
      return { name: key, url: c.url as string };
  }
}

export interface ResolvedFileConfig {
  raw: ForwardFileConfig;
  destinations: FileDestination[];
}

export function parseForwardConfig(text: string, source = 'config'): ResolvedFileConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new Error(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const r = schema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const raw = r.data;
  const exporters = raw.exporters ?? {};
  let keys = Object.keys(exporters);
  if (raw.service) {
    const used = new Set(Object.values(raw.service.pipelines).flatMap((p) => p.exporters));
    for (const k of used) if (!(k in exporters)) throw new Error(`${source}: service.pipelines names exporter "${k}", which exporters does not define`);
    keys = keys.filter((k) => used.has(k));
  }
  const destinations = keys.map((k) => exporterUrl(k, k.split('/')[0]!, exporters[k]));
  return { raw, destinations };
}

export async function loadForwardConfig(file: string): Promise<ResolvedFileConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`--config ${file}: ${(err as Error).message}`);
  }
  return parseForwardConfig(text, file);
}
