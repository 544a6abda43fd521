/** `skein forward`: the span proxy (listeners -> durable spool -> destinations). */
import type { Command } from 'commander';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerForwardCommand(program: Command): void {
  const cmd = program
    .command('forward')
    .description('span proxy: take spans over unix sockets, hybrid vsock or TCP, spool them on disk, fan them out')
    .option('--otlp-http <addr>', 'OTLP/HTTP listener: host:port, :port, unix:/path or off (default 127.0.0.1:4318)')
    .option('--otlp-grpc <addr>', 'OTLP/gRPC listener: host:port, :port, unix:/path or off (default 127.0.0.1:4317)')
    .option('--framed <addr>', 'framed-stream listener (u32 BE length + OTLP protobuf per frame): host:port, unix:/path')
    .option('--framed-header-bytes <n>', 'frame length header width: 4 (u32) or 8 (u64, as Kata reads)')
    .option('--hybrid-vsock <path:port>', 'listen on the unix socket PATH_PORT (Firecracker / Cloud Hypervisor hybrid vsock)')
    .option('--http <addr>', '/healthz and /metrics listener (default off)')
    .option('--to <url>', 'destination, repeatable: otlp-http://, otlp-grpc://, zipkin://, jaeger-http://, datadog://host:port or file:/path.jsonl', collect)
    .option('--spool <dir>', 'spool directory (required, here or in --config)')
    .option('--spool-max <size>', 'spool bound, e.g. 512MB or 2GiB (default 1GB)')
    .option('--fsync <policy>', '"batch" (fsync before each answer, default) or an interval like 100ms')
    .option('--when-full <policy>', 'spool full: drop-oldest (default) or refuse (answer 503)')
    .option('--route-by-trace', 'split traces over several destinations of one kind by consistent hashing of the trace id')
    .option('--config <file>', 'YAML shaped like an OpenTelemetry Collector config; SIGHUP re-reads it')
    .option('--watch-config', 'also re-read --config when the file changes');
  cmd.addHelpText(
    'after',
    `
Examples:
  skein forward --spool /var/lib/skein/spool --to otlp-http://127.0.0.1:4318
  skein forward --otlp-grpc unix:/run/skein/otlp.sock --hybrid-vsock /run/vm/vsock.sock:4317 \\
                --spool ./spool --spool-max 2GB --to jaeger-http://jaeger:14268 --to zipkin://zipkin:9411
  kill -HUP <pid>        # re-read --config: add, change or remove destinations`,
  );
  cmd.action(async (o: Record<string, unknown>) => {
    const { runForward } = await import('@skein/server');
    const header = o.framedHeaderBytes === undefined ? undefined : Number(o.framedHeaderBytes);
    if (header !== undefined && header !== 4 && header !== 8) {
      process.stderr.write(`skein forward: --framed-header-bytes must be 4 or 8, got "${String(o.framedHeaderBytes)}"\n`);
      process.exit(2);
    }
    const whenFull = o.whenFull as string | undefined;
    if (whenFull !== undefined && whenFull !== 'drop-oldest' && whenFull !== 'refuse') {
      process.stderr.write(`skein forward: --when-full must be drop-oldest or refuse, got "${whenFull}"\n`);
      process.exit(2);
    }
    await runForward({
      otlpHttp: o.otlpHttp as string | undefined,
      otlpGrpc: o.otlpGrpc as string | undefined,
      framed: o.framed as string | undefined,
      framedHeaderBytes: header as 4 | 8 | undefined,
      hybridVsock: o.hybridVsock as string | undefined,
      http: o.http as string | undefined,
      to: o.to as string[] | undefined,
      spool: o.spool as string | undefined,
      spoolMax: o.spoolMax as string | undefined,
      fsync: o.fsync as string | undefined,
      whenFull: whenFull as 'drop-oldest' | 'refuse' | undefined,
      routeByTrace: o.routeByTrace === true ? true : undefined,
      config: o.config as string | undefined,
      watchConfig: o.watchConfig === true,
      handleSignals: true,
    }).catch((err: unknown) => {
      process.stderr.write(`skein forward: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
  });
}
