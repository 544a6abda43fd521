/**
 * Delivers the CLI's spans and never lets tracing break the traced pipeline: a failed export
 * becomes one warning on stderr per trace (nested `skein exec` calls share a marker file so a
 * script with no backend warns once), none with --quiet or SKEIN_QUIET=1.
 */
import { closeSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliSpan } from '../trace/cli-span.js';
import { resolveTarget, type TargetFlags } from './config.js';
import { encodeCliSpansJson, encodeCliSpansProto } from './otlp-encode.js';
import { sendSpans } from './send.js';
import { VERSION } from '../version.js';

export interface DeliverOptions extends TargetFlags {
  quiet?: boolean;
  /** True for the outermost span of a trace: it removes the trace's warning marker. */
  root?: boolean;
}

export async function deliverSpans(spans: CliSpan[], opts: DeliverOptions): Promise<boolean> {
  const traceId = spans[0]?.traceId ?? 'none';
  try {
    const target = resolveTarget(opts);
    await sendSpans(target, { proto: () => encodeCliSpansProto(spans, VERSION), json: () => encodeCliSpansJson(spans, VERSION) });
    return true;
  } catch (e) {
    if (!(opts.quiet || process.env.SKEIN_QUIET === '1') && firstWarning(traceId)) {
      process.stderr.write(
        `skein: warning: ${(e as Error).message}; the command ran as usual but its spans are lost. ` +
          'Start a backend (skein serve), point --endpoint or OTEL_EXPORTER_OTLP_ENDPOINT at one, or pass --quiet.\n',
      );
    }
    return false;
  } finally {
    if (opts.root) rmSync(markerPath(traceId), { force: true });
  }
}

const markerPath = (traceId: string): string => join(tmpdir(), `skein-warned-${traceId}`);

/** True for the first caller per trace id across processes (O_EXCL create is atomic). */
function firstWarning(traceId: string): boolean {
  try {
    closeSync(openSync(markerPath(traceId), 'wx'));
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'EEXIST';
  }
}
