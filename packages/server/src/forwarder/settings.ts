/** Merges `skein forward` flags with the `--config` file into one settings object (flags win). */
import type { FsyncPolicy } from './spool/writer.js';
import type { FullPolicy } from './spool/spool.js';
import { loadForwardConfig, parseFsync, parseSize, type FileDestination } from './config.js';
import type { HeaderBytes } from '../receivers/framed/frames.js';

export interface ForwardOptions {
  /** Listener addresses: `host:port`, `:port`, `unix:/path` or `off`. */
  otlpHttp?: string;
  otlpGrpc?: string;
  framed?: string;
  /** 4 (u32, default) or 8 (u64, Kata's trace forwarder) byte frame headers, for framed and hybrid vsock. */
  framedHeaderBytes?: HeaderBytes;
  maxFrameBytes?: number;
  /** `PATH:PORT`: listen on the unix socket `PATH_PORT`. */
  hybridVsock?: string;
  /** /healthz and /metrics. */
  http?: string;
  /** Destination URLs (repeatable `--to`). */
  to?: string[];
  spool?: string;
  /** e.g. `1GB`; default 1 GB. */
  spoolMax?: string | number;
  /** `batch` (default) or an interval like `100ms`. */
  fsync?: string;
  whenFull?: FullPolicy;
  /** Split traces over several destinations of one kind by consistent hashing of the trace id. */
  routeByTrace?: boolean;
  config?: string;
  /** Also reload when the --config file changes (polled every second). */
  watchConfig?: boolean;
}

export interface ForwardSettings {
  otlpHttp: string;
  otlpGrpc: string;
  framed: string;
  hybridVsock?: string;
  headerBytes: HeaderBytes;
  maxFrameBytes?: number;
  http: string;
  spoolDir: string;
  spoolMax: number;
  fsync: FsyncPolicy;
  whenFull: FullPolicy;
  routeByTrace: boolean;
  destinations: FileDestination[];
}

export async function resolveSettings(o: ForwardOptions): Promise<ForwardSettings> {
  const file = o.config ? await loadForwardConfig(o.config) : undefined;
  const r = file?.raw.receivers;
  const f = file?.raw.forward;
  const spoolDir = o.spool ?? f?.spool?.directory;
  if (!spoolDir) throw new Error('--spool DIR is required (or forward.spool.directory in --config)');
  const destinations: FileDestination[] = (o.to ?? []).map((url) => ({ name: url, url }));
  for (const d of file?.destinations ?? []) destinations.push(d);
  const headerBytes = o.framedHeaderBytes ?? r?.framed?.header_bytes ?? r?.hybrid_vsock?.header_bytes ?? 4;
  if (headerBytes !== 4 && headerBytes !== 8) throw new Error(`--framed-header-bytes must be 4 or 8, got ${String(headerBytes)}`);
  return {
    otlpHttp: o.otlpHttp ?? r?.otlp?.protocols.http?.endpoint ?? (r?.otlp ? 'off' : '127.0.0.1:4318'),
    otlpGrpc: o.otlpGrpc ?? r?.otlp?.protocols.grpc?.endpoint ?? (r?.otlp ? 'off' : '127.0.0.1:4317'),
    framed: o.framed ?? r?.framed?.endpoint ?? 'off',
    hybridVsock: o.hybridVsock ?? r?.hybrid_vsock?.path,
    headerBytes,
    maxFrameBytes: o.maxFrameBytes ?? r?.framed?.max_frame_bytes ?? r?.hybrid_vsock?.max_frame_bytes,
    http: o.http ?? f?.http?.endpoint ?? 'off',
    spoolDir,
    spoolMax: parseSize(o.spoolMax ?? f?.spool?.max_size ?? '1GB', '--spool-max'),
    fsync: parseFsync(o.fsync ?? f?.spool?.fsync ?? 'batch'),
    whenFull: o.whenFull ?? f?.spool?.when_full ?? 'drop-oldest',
    routeByTrace: o.routeByTrace ?? f?.route_by_trace_id ?? false,
    destinations,
  };
}
