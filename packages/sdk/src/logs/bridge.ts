/** Logs into traces: records at chosen levels become events on the active span; the rest stay in the log. */

import { trace } from '@opentelemetry/api';
import type { Attributes, AttributeValue } from '@opentelemetry/api';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface BridgeOptions {
  /** Levels recorded as span events (default debug and info). */
  eventLevels?: LogLevel[];
  /** Whether event-level records still go to the log too (default false: they only go to the trace). */
  alsoLog?: boolean;
  /** Whether warn/error records also become span events (default true); they always go to the log. */
  annotateErrors?: boolean;
}

export interface LogBridge {
  /** Records the log on the active span when appropriate; returns whether it should still be written to the log. */
  record(level: LogLevel, message: string, fields?: Record<string, unknown>): boolean;
}

function attr(v: unknown): AttributeValue | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v === null || v === undefined) return undefined;
  if (v instanceof Error) return v.message;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export function createLogBridge(o: BridgeOptions = {}): LogBridge {
  const eventLevels = new Set(o.eventLevels ?? ['debug', 'info']);
  const alsoLog = o.alsoLog ?? false;
  const annotateErrors = o.annotateErrors ?? true;
  return {
    record(level, message, fields) {
      const isEvent = eventLevels.has(level);
      const span = trace.getActiveSpan();
      if (span === undefined || !span.isRecording()) return true;
      if (isEvent || (annotateErrors && (level === 'warn' || level === 'error' || level === 'fatal'))) {
        const attrs: Attributes = { 'log.severity': level };
        if (fields) {
          for (const k in fields) {
            const v = attr(fields[k]);
            if (v !== undefined) attrs[`log.${k}`] = v;
          }
        }
        span.addEvent(message === '' ? 'log' : message, attrs);
      }
      return !isEvent || alsoLog;
    },
  };
}
