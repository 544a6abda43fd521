/** pino integration: `pino({ hooks: pinoHooks() })` turns debug/info records into span events; warn/error still log. */

import { createLogBridge } from './bridge.js';
import type { BridgeOptions, LogLevel } from './bridge.js';

const LEVELS: Record<number, LogLevel> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

type LogMethod = (this: unknown, ...args: unknown[]) => void;

/** The `hooks` option for pino: a logMethod hook (typed loosely so pino stays an optional peer). */
export function pinoHooks(o: BridgeOptions = {}): { logMethod(this: unknown, args: unknown[], method: LogMethod, level: number): void } {
  const bridge = createLogBridge(o);
  return {
    logMethod(args, method, level) {
      const lv = LEVELS[level] ?? (level < 30 ? 'debug' : level < 40 ? 'info' : level < 50 ? 'warn' : 'error');
      let fields: Record<string, unknown> | undefined;
      let msg = '';
      if (args[0] !== null && typeof args[0] === 'object') {
        fields = args[0] as Record<string, unknown>;
        msg = typeof args[1] === 'string' ? args[1] : '';
      } else msg = String(args[0] ?? '');
      if (bridge.record(lv, msg, fields)) method.apply(this, args);
    },
  };
}
