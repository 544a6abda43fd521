/** `skein serve`: the all-in-one collector, store, query API and UI. */
import type { Command } from 'commander';

const LISTENERS: Array<[flag: string, option: string, def: string, what: string]> = [
  ['--http', 'http', '127.0.0.1:16686', 'UI + query API'],
  ['--otlp-grpc', 'otlpGrpc', '127.0.0.1:4317', 'OTLP/gRPC receiver'],
  ['--otlp-http', 'otlpHttp', '127.0.0.1:4318', 'OTLP/HTTP receiver'],
  ['--zipkin', 'zipkin', '127.0.0.1:9411', 'Zipkin receiver'],
  ['--jaeger-http', 'jaegerHttp', '127.0.0.1:14268', 'Jaeger thrift HTTP receiver'],
  ['--jaeger-compact', 'jaegerCompact', '127.0.0.1:6831', 'Jaeger UDP compact receiver'],
  ['--jaeger-binary', 'jaegerBinary', '127.0.0.1:6832', 'Jaeger UDP binary receiver'],
  ['--datadog', 'datadog', '127.0.0.1:8126', 'Datadog agent API receiver'],
];

export function registerServeCommand(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the all-in-one: receivers, store, Jaeger-compatible query API and web UI')
    .option('--data <dir>', 'data directory', './.skein')
    .option('--memory', 'keep everything in memory (no files)')
    .option('--clickhouse <url>', 'keep spans in a ClickHouse server instead of the DuckDB file: http://[user:password@]host:8123/database (database defaults to skein)')
    .option('--config <file>', 'YAML config shaped like an OpenTelemetry Collector config')
    .option('--retention <duration>', 'delete spans older than this', '72h')
    .option('--max-size <size>', 'delete the oldest spans when the DuckDB file grows past this (not with --memory or --clickhouse)', '10GB');
  for (const [flag, , def, what] of LISTENERS) cmd.option(`${flag} <addr>`, `${what}: host:port, :port or off`, def);
  cmd.addHelpText(
    'after',
    `
Examples:
  skein serve                          # UI on http://localhost:16686, data in ./.skein
  skein serve --memory                 # quick trial, nothing written to disk
  skein serve --clickhouse http://127.0.0.1:8123/skein   # spans in ClickHouse (18.16 or later)
  skein serve --http 0.0.0.0:16686     # expose the UI (binds 127.0.0.1 by default)
  skein serve --zipkin off --retention 7d --max-size 50GB`,
  );
  cmd.action(async (o: Record<string, unknown>, self: Command) => {
    const { startServe } = await import('@skein/server');
    // With --config, defaults must not override the file: pass only what was typed.
    const given = o.config ? Object.fromEntries(Object.entries(o).filter(([k]) => self.getOptionValueSource(k) !== 'default')) : o;
    const server = await startServe(given).catch((err: unknown) => {
      process.stderr.write(`skein serve: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      server.close().then(
        () => process.exit(signal === 'SIGINT' ? 130 : 0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
