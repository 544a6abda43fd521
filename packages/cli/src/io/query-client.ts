/** A small client of skein serve's query API whose errors say what to do. */
import { CliError } from '../errors.js';
import { send } from './http.js';

export async function getJson(server: string, path: string, init: { accept404?: boolean } = {}): Promise<{ status: number; body: unknown }> {
  const url = server + path;
  let res: Awaited<ReturnType<typeof send>>;
  try {
    res = await send(url, { timeoutMs: 30_000 });
  } catch (e) {
    throw unreachable(server, e);
  }
  const text = res.text;
  if (res.status === 404 && init.accept404) return { status: 404, body: undefined };
  if (res.status >= 400) {
    let message = text.slice(0, 300);
    try {
      const j = JSON.parse(text) as { errors?: Array<{ msg?: string }>; error?: { message?: string } };
      message = j.errors?.[0]?.msg ?? j.error?.message ?? message;
    } catch {
      // not JSON: keep the text
    }
    throw new CliError('SKEIN_CLI_API', `${url} answered ${res.status}: ${message.trim()}`);
  }
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    throw new CliError('SKEIN_CLI_API', `${url} did not answer JSON; is --server a skein serve (or Jaeger query) address?`);
  }
}

export function unreachable(server: string, e: unknown): CliError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ECONNREFUSED' ? 'connection refused' : (e as Error).message;
  return new CliError(
    'SKEIN_CLI_UNREACHABLE',
    `cannot reach the query API at ${server} (${why}). Start one with \`skein serve\`, or pass --server URL or set SKEIN_SERVER`,
  );
}
