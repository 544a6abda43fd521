/**
 * State of background spans (`skein span start` ... `skein span end`) between processes: one
 * JSON-lines file per span, keyed by span id; line 1 is the span, each later line an event
 * appended atomically (O_APPEND) so concurrent `skein span event` calls do not clash.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliEvent, CliSpan, CliValue } from './cli-span.js';

export function stateDir(): string {
  return process.env.SKEIN_STATE_DIR ?? join(tmpdir(), `skein-spans-${process.getuid?.() ?? 'user'}`);
}

const statePath = (spanId: string): string => join(stateDir(), `${spanId}.jsonl`);

/** JSON with bigints as {"$n": "123"} so ns times and int attributes survive exactly. */
const toJson = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? { $n: x.toString() } : x));
const fromJson = (s: string): unknown =>
  JSON.parse(s, (_k, x) => (x && typeof x === 'object' && typeof x.$n === 'string' && Object.keys(x).length === 1 ? BigInt(x.$n) : x));

export interface BackgroundState {
  span: CliSpan;
  target: { endpoint?: string; protocol?: string };
}

export function saveBackground(state: BackgroundState): void {
  mkdirSync(stateDir(), { recursive: true, mode: 0o700 });
  writeFileSync(statePath(state.span.spanId), toJson(state) + '\n', { mode: 0o600 });
}

export function appendEvent(spanId: string, event: CliEvent): void {
  loadBackground(spanId); // fails with a clear message if the span is unknown
  appendFileSync(statePath(spanId), toJson({ event }) + '\n');
}

export function loadBackground(spanId: string): BackgroundState {
  let text: string;
  try {
    text = readFileSync(statePath(spanId), 'utf8');
  } catch {
    throw new Error(
      `no background span ${spanId} is open (looked in ${stateDir()}); start one with ` +
        '`export TRACEPARENT=$(skein span start --name NAME)` or `skein span start --name NAME --carrier FILE`',
    );
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const state = fromJson(lines[0]!) as BackgroundState;
  for (const line of lines.slice(1)) {
    const rec = fromJson(line) as { event?: CliEvent; attributes?: Array<[string, CliValue]> };
    if (rec.event) state.span.events.push(rec.event);
  }
  return state;
}

export function removeBackground(spanId: string): void {
  rmSync(statePath(spanId), { force: true });
}
