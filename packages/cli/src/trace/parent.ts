/**
 * Finds the parent of a span the CLI makes: --traceparent, a carrier file, or the TRACEPARENT
 * variable. An empty value counts as none; an invalid one is ignored with a warning.
 */
import { readFileSync } from 'node:fs';
import { parseTraceparent, type ParentContext } from './context.js';

export interface ParentFlags {
  traceparent?: string;
  carrier?: string;
  quiet?: boolean;
}

/** Reads a carrier file: `TRACEPARENT=...` lines (sourceable by sh) or a bare traceparent. */
export function readCarrier(path: string): { traceparent?: string; tracestate?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read carrier file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; start a span with \`skein span start --carrier ${path}\` first`);
  }
  const out: { traceparent?: string; tracestate?: string } = {};
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?(TRACEPARENT|TRACESTATE)=['"]?([^'"]*)['"]?\s*$/i.exec(line);
    if (m) out[m[1]!.toLowerCase() as 'traceparent' | 'tracestate'] = m[2]!;
    else if (/^\s*00-[0-9a-f]{32}-/i.test(line)) out.traceparent = line.trim();
  }
  return out;
}

export function resolveParent(flags: ParentFlags, env: Record<string, string | undefined> = process.env): ParentContext | undefined {
  let tp = flags.traceparent;
  let ts = env.TRACESTATE ?? '';
  let source = '--traceparent';
  if (tp === undefined && flags.carrier !== undefined) {
    source = `carrier ${flags.carrier}`;
    try {
      const c = readCarrier(flags.carrier);
      tp = c.traceparent ?? '';
      ts = c.tracestate ?? '';
    } catch (e) {
      // a missing carrier must not stop the traced command: warn and start a new trace
      if (!flags.quiet && env.SKEIN_QUIET !== '1') process.stderr.write(`skein: warning: ${(e as Error).message}; starting a new trace\n`);
      return undefined;
    }
  }
  if (tp === undefined) {
    tp = env.TRACEPARENT;
    source = 'TRACEPARENT';
  }
  try {
    return parseTraceparent(tp, ts);
  } catch (e) {
    if (!flags.quiet && env.SKEIN_QUIET !== '1') {
      process.stderr.write(`skein: warning: ${(e as Error).message} (from ${source}); starting a new trace\n`);
    }
    return undefined;
  }
}

/** The service name: --service, then what an outer skein call handed down, then OTEL_SERVICE_NAME. */
export function resolveService(flag: string | undefined, env: Record<string, string | undefined> = process.env): string {
  // empty values count as unset, as the OpenTelemetry SDKs treat them
  return flag || env.SKEIN_SERVICE_NAME || env.OTEL_SERVICE_NAME || 'skein';
}
