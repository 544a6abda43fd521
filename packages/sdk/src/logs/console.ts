/** Console integration: console.debug/info/log become span events inside a recording span; warn/error still print. */

import { format } from 'node:util';
import { createLogBridge } from './bridge.js';
import type { BridgeOptions, LogLevel } from './bridge.js';

const METHODS: [keyof Console, LogLevel][] = [
  ['debug', 'debug'],
  ['info', 'info'],
  ['log', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
];

/** Patches `con` (the global console by default); returns the function that restores it. */
export function bridgeConsole(o: BridgeOptions = {}, con: Console = console): () => void {
  const bridge = createLogBridge(o);
  const saved: [keyof Console, unknown][] = [];
  for (const [m, level] of METHODS) {
    const orig = con[m] as (...a: unknown[]) => void;
    saved.push([m, orig]);
    (con as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
      if (bridge.record(level, format(...args))) orig.apply(con, args);
    };
  }
  return () => {
    for (const [m, f] of saved) (con as unknown as Record<string, unknown>)[m] = f;
  };
}
