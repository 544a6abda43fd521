/** @skein/sdk: instrument a TypeScript component on @opentelemetry/api at a cost it can always afford. */

export { init, activeProvider } from './init.js';
export type { SdkHandle } from './init.js';
export type { SdkOptions, SpanLimits, TraceMode, TraceType, GuardOptions } from './options.js';
export { optionsFromEnv, resolveOptions } from './config.js';
export { Level, LEVEL_ATTRIBUTE, parseThresholds } from './levels.js';
export type { LevelName } from './levels.js';
export { envWithContext, contextFromEnv } from './propagation/env.js';
export { spawn, execFile, exec } from './propagation/child.js';
export {
  headersWithContext,
  contextFromHeaders,
  annotateWithContext,
  contextFromAnnotations,
  ANNOTATION_PREFIX,
} from './propagation/headers.js';
export { W3CPropagator } from './propagation/w3c.js';
export { AlsContextManager } from './context-manager.js';
export { SpanMetrics } from './metrics.js';
export { SkeinProvider } from './provider.js';
export { OtlpHttpExporter } from './export/otlp-http.js';
export { ForwardSocketExporter } from './export/forward-socket.js';
export type { ByteExporter } from './export/exporter.js';
export { component, Component } from './component.js';
export { createLogBridge } from './logs/bridge.js';
export type { LogBridge, LogLevel, BridgeOptions } from './logs/bridge.js';
export { bridgeConsole } from './logs/console.js';
export { pinoHooks } from './logs/pino.js';
