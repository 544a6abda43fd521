/** The small span record the CLI makes itself (exec, span): only what a command line can say. */

/** A scalar attribute value as the CLI writes it; arrays hold strings (command arguments). */
export type CliValue = string | number | boolean | bigint | string[];

export interface CliEvent {
  name: string;
  timeNs: bigint;
  attributes: Array<[string, CliValue]>;
}

export interface CliSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  /** W3C trace flags (1 = sampled). */
  flags: number;
  name: string;
  /** OTLP span kind number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Array<[string, CliValue]>;
  events: CliEvent[];
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  service: string;
}

export const KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

/** Parses `--kind`; throws a message that lists the accepted names. */
export function parseKind(text: string | undefined): number {
  if (text === undefined) return 1;
  const k = KINDS[text.toLowerCase()];
  if (k === undefined) throw new Error(`--kind "${text}" is not one of ${Object.keys(KINDS).join(', ')}`);
  return k;
}

/**
 * Parses `k=v`; the value keeps a type when it plainly has one (true/false, an integer, a
 * decimal number) so backends can compare numbers; quote-free strings otherwise.
 */
export function parseAttr(text: string): [string, CliValue] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--attr "${text}" is not key=value (e.g. --attr ci.job=build)`);
  const key = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  if (raw === 'true' || raw === 'false') return [key, raw === 'true'];
  if (/^-?\d{1,18}$/.test(raw)) return [key, BigInt(raw)];
  if (/^-?\d+\.\d+$/.test(raw)) return [key, Number(raw)];
  return [key, raw];
}

/** Parses `--status`: ok, error or unset. */
export function parseStatus(text: string | undefined): number {
  if (text === undefined || text === 'unset') return 0;
  if (text === 'ok') return 1;
  if (text === 'error') return 2;
  throw new Error(`--status "${text}" is not one of ok, error, unset`);
}
