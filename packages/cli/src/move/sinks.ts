/** Where `skein import` writes: a running collector over OTLP/HTTP, or a data directory's DuckDB file. */
import { join } from 'node:path';
import { encodeOtlpProto, type Span } from '@skein/model';
import { CliError } from '../errors.js';
import type { ExportTarget } from '../export/config.js';
import { send } from '../io/http.js';

export interface Sink {
  write(spans: Span[]): Promise<void>;
  close(): Promise<void>;
  describe: string;
}

/** OTLP/HTTP protobuf with keep-alive, honouring 429/503 Retry-After a few times. */
export function httpSink(target: ExportTarget): Sink {
  if (target.protocol !== 'http/protobuf' && target.protocol !== 'http/json') {
    throw new CliError('SKEIN_CLI_USAGE', `skein import sends OTLP over HTTP; protocol ${target.protocol} is not supported here (use --endpoint http://HOST:4318 or --data DIR)`);
  }
  return {
    describe: target.url,
    async write(spans) {
      const body = encodeOtlpProto(spans);
      for (let attempt = 0; ; attempt++) {
        let res: Awaited<ReturnType<typeof send>>;
        try {
          res = await send(target.url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-protobuf', ...target.headers },
            body,
            timeoutMs: Math.max(target.timeoutMs, 30_000),
          });
        } catch (e) {
          throw new CliError(
            'SKEIN_CLI_UNREACHABLE',
            `cannot send spans to ${target.url} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); start \`skein serve\`, pass --endpoint URL, or write straight into a data directory with --data DIR`,
          );
        }
        const text = res.text;
        if (res.status >= 200 && res.status < 300) return;
        if ((res.status === 429 || res.status === 503) && attempt < 8) {
          const wait = Number(res.headers['retry-after'] ?? 1) * 1000 || 1000;
          await new Promise((r) => setTimeout(r, Math.min(wait, 10_000)));
          continue;
        }
        throw new CliError('SKEIN_CLI_API', `${target.url} refused a batch: HTTP ${res.status} ${text.slice(0, 300)}`);
      }
    },
    async close() {},
  };
}

interface StoreLike {
  write(spans: Span[]): Promise<void>;
  close(): Promise<void>;
}

/** Straight into `<dir>/skein.duckdb` (no server may have the file open: DuckDB has one owner). */
export async function duckDbSink(dir: string): Promise<Sink> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const server = (await import('@skein/server')) as unknown as { DuckDbStore?: { open(o: { path: string }): Promise<StoreLike> } };
  if (!server.DuckDbStore) throw new CliError('SKEIN_CLI_UNAVAILABLE', 'this build of @skein/server does not export DuckDbStore; import through a running `skein serve` instead');
  const path = join(dir, 'skein.duckdb');
  let store: StoreLike;
  try {
    store = await server.DuckDbStore.open({ path });
  } catch (e) {
    throw new CliError(
      'SKEIN_CLI_UNAVAILABLE',
      `cannot open ${path}: ${(e as Error).message.split('\n')[0]}. If skein serve is running on it, import through the server instead (omit --data)`,
    );
  }
  return { describe: path, write: (spans) => store.write(spans), close: () => store.close() };
}
