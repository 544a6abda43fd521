/**
 * A deterministic generator of realistic traces for benchmarks: a container platform where an
 * API gateway calls a container runtime, which calls a VM shim, its in-guest agent and storage.
 * Depths 2-8, a few percent of traces fail (error status up the failing path, exception events),
 * HTTP, RPC, container and database attributes, log events on some spans.
 */
import type { KeyValue, Resource, Scope, Span } from '@skein/model';
import { prng } from '../packages/model/src/otlp/test-support/realistic.js';

export interface DatasetOptions {
  /** Total spans to generate (the last trace is cut to fit). */
  spans: number;
  seed?: number;
  /** Start of the first trace, ns since the epoch. */
  startNs?: bigint;
}

interface ServiceDef {
  name: string;
  ops: string[];
  calls: string[];
  attrs: (r: () => number, ctx: TraceCtx) => KeyValue[];
}

interface TraceCtx {
  containerId: string;
  sandboxId: string;
}

const MS = 1_000_000n;
const HTTP_ROUTES = ['POST /v1/containers', 'GET /v1/containers/{id}', 'DELETE /v1/containers/{id}', 'POST /v1/containers/{id}/exec', 'GET /v1/images'];
const SERVICES: Record<string, ServiceDef> = {
  'api-gateway': {
    name: 'api-gateway',
    ops: HTTP_ROUTES,
    calls: ['containerd'],
    attrs: (r, c) => [
      { key: 'http.request.method', value: ['GET', 'POST', 'DELETE'][Math.floor(r() * 3)]! },
      { key: 'http.response.status_code', value: r() < 0.9 ? 200n : 404n },
      { key: 'url.path', value: `/v1/containers/${c.containerId}` },
      { key: 'user_agent.original', value: r() < 0.7 ? 'kubectl/v1.30.2' : 'crictl/v1.29.0' },
    ],
  },
  containerd: {
    name: 'containerd',
    ops: ['containerd.services.tasks.v1.Tasks/Create', 'containerd.services.tasks.v1.Tasks/Start', 'images.pull', 'snapshots.prepare', 'containerd.services.tasks.v1.Tasks/Exec'],
    calls: ['kata-shim', 'storage', 'containerd'],
    attrs: (r, c) => [
      { key: 'rpc.system', value: 'grpc' },
      { key: 'container.id', value: c.containerId },
      { key: 'container.image.name', value: ['docker.io/library/nginx', 'quay.io/prometheus/node-exporter', 'docker.io/library/redis'][Math.floor(r() * 3)]! },
    ],
  },
  'kata-shim': {
    name: 'kata-shim',
    ops: ['CreateSandbox', 'StartContainer', 'WaitProcess', 'vsock.connect', 'hypervisor.startVM'],
    calls: ['kata-agent', 'kata-shim'],
    attrs: (r, c) => [
      { key: 'sandbox.id', value: c.sandboxId },
      { key: 'vsock.port', value: BigInt(1024 + Math.floor(r() * 4)) },
    ],
  },
  'kata-agent': {
    name: 'kata-agent',
    ops: ['CreateContainer', 'ExecProcess', 'mount.volumes', 'setup.network', 'cgroups.apply'],
    calls: ['storage', 'kata-agent'],
    attrs: (r, c) => [
      { key: 'container.id', value: c.containerId },
      { key: 'process.pid', value: BigInt(100 + Math.floor(r() * 3000)) },
      { key: 'mount.readonly', value: r() < 0.3 },
    ],
  },
  storage: {
    name: 'storage',
    ops: ['SELECT layers', 'INSERT snapshot', 'blob.read', 'blob.write', 'fsync'],
    calls: [],
    attrs: (r) => [
      { key: 'db.system', value: r() < 0.5 ? 'sqlite' : 'rocksdb' },
      { key: 'db.statement', value: r() < 0.5 ? 'SELECT digest, size FROM layers WHERE image_id = ?' : 'INSERT INTO snapshots (key, parent) VALUES (?, ?)' },
      { key: 'db.rows_affected', value: BigInt(Math.floor(r() * 50)) },
      { key: 'io.bytes', value: BigInt(Math.floor(r() * 1_048_576)) },
      { key: 'io.latency_ratio', value: Math.round(r() * 1000) / 1000 },
    ],
  },
};

/** Small fast PRNG (mulberry32): the same seed gives the same dataset everywhere. */
export { prng };

const hex = (r: () => number, digits: number): string => {
  let s = '';
  while (s.length < digits) s += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, digits);
};

function resourcesFor(def: ServiceDef): Resource[] {
  return [1, 2, 3].map((i) => ({
    attributes: [
      { key: 'service.name', value: def.name },
      { key: 'service.version', value: '1.4.2' },
      { key: 'host.name', value: `node-${i}` },
      { key: 'telemetry.sdk.language', value: def.name.startsWith('kata') ? 'rust' : 'go' },
    ],
    droppedAttributesCount: 0,
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  }));
}

/** Yields one trace per array, `opts.spans` spans in all, newest trace last. */
export function* generateTraces(opts: DatasetOptions): Iterable<Span[]> {
  const r = prng(opts.seed ?? 1);
  const resources = new Map(Object.values(SERVICES).map((d) => [d.name, resourcesFor(d)]));
  const scopes = new Map<string, Scope>(
    Object.values(SERVICES).map((d) => [d.name, { name: `${d.name}/tracing`, version: '0.9.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' }]),
  );
  let at = opts.startNs ?? 1_750_000_000_000_000_000n;
  let left = opts.spans;
  while (left > 0) {
    const size = Math.min(left, 2 + Math.floor(r() * r() * 60));
    const depth = Math.min(size, 2 + Math.floor(r() * 7));
    const trace = buildTrace(r, size, depth, at, resources, scopes);
    left -= trace.length;
    at += BigInt(Math.floor(r() * 20)) * MS + 123_457n;
    yield trace;
  }
}

function buildTrace(r: () => number, size: number, depth: number, at: bigint, resources: Map<string, Resource[]>, scopes: Map<string, Scope>): Span[] {
  const traceId = hex(r, 32);
  const ctx: TraceCtx = { containerId: hex(r, 12), sandboxId: hex(r, 12) };
  const host = Math.floor(r() * 3);
  const failing = r() < 0.03;
  const spans: Span[] = [];
  const levels: number[] = [];
  const make = (def: ServiceDef, parent: Span | undefined, start: bigint, dur: bigint): Span => {
    const s: Span = {
      traceId,
      spanId: hex(r, 16),
      parentSpanId: parent?.spanId ?? '',
      traceState: '',
      flags: 1,
      name: def.ops[Math.floor(r() * r() * def.ops.length)]!,
      kind: !parent ? 2 : parent.resource.attributes[0]!.value !== def.name ? 2 : r() < 0.5 ? 1 : 3,
      startTimeUnixNano: start,
      endTimeUnixNano: start + dur,
      attributes: def.attrs(r, ctx),
      droppedAttributesCount: 0,
      events: r() < 0.1 ? [{ timeUnixNano: start + dur / 2n, name: r() < 0.5 ? 'cache miss' : 'retrying', attributes: [{ key: 'attempt', value: 1n }], droppedAttributesCount: 0 }] : [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
      resource: resources.get(def.name)![host]!,
      scope: scopes.get(def.name)!,
    };
    spans.push(s);
    return s;
  };
  const rootDur = BigInt(5 + Math.floor(r() * r() * 2000)) * MS + BigInt(Math.floor(r() * 1e6));
  make(SERVICES['api-gateway']!, undefined, at, rootDur);
  levels.push(0);
  while (spans.length < size) {
    // Prefer extending the deepest open branch until the depth is reached, then fan out.
    const deepest = levels.reduce((m, l, i) => (l > levels[m]! ? i : m), 0);
    const pi = levels[deepest]! < depth - 1 && r() < 0.6 ? deepest : Math.floor(r() * spans.length);
    if (levels[pi]! >= depth - 1) continue;
    const parent = spans[pi]!;
    const pdef = SERVICES[parent.resource.attributes[0]!.value as string]!;
    const next = pdef.calls.length ? pdef.calls[Math.floor(r() * pdef.calls.length)]! : 'storage';
    const pdur = parent.endTimeUnixNano - parent.startTimeUnixNano;
    const offset = (pdur * BigInt(Math.floor(r() * 500))) / 1000n;
    const dur = (pdur * BigInt(50 + Math.floor(r() * 400))) / 1000n + 1000n;
    make(SERVICES[next]!, parent, parent.startTimeUnixNano + offset, dur);
    levels.push(levels[pi]! + 1);
  }
  if (failing) {
    // The deepest span failed; the error travels up through its ancestors.
    let i = levels.reduce((m, l, j) => (l > levels[m]! ? j : m), 0);
    const byId = new Map(spans.map((s, j) => [s.spanId, j]));
    const leaf = spans[i]!;
    leaf.events.push({
      timeUnixNano: leaf.endTimeUnixNano - 1000n,
      name: 'exception',
      attributes: [
        { key: 'exception.type', value: 'io::Error' },
        { key: 'exception.message', value: 'no space left on device (os error 28)' },
      ],
      droppedAttributesCount: 0,
    });
    for (;;) {
      spans[i]!.status = { code: 2, message: 'no space left on device' };
      const p = byId.get(spans[i]!.parentSpanId);
      if (p === undefined) break;
      i = p;
    }
  }
  return spans;
}
