/**
 * The contracts of the pipeline engine shared by `serve` and `forward`:
 * receivers -> processors -> exporters, joined by one call, `consume(spans)`.
 */
import type { Span } from '@skein/model';
import type { Logger } from 'pino';

/**
 * Takes a batch of spans. The returned promise resolves once the spans are durable downstream
 * (stored or spooled) and rejects with a PipelineError when they are not. The caller must not
 * touch the array afterwards.
 */
export interface Consumer {
  consume(spans: Span[]): Promise<void>;
  /**
   * Present where the stages after this one can take a whole OTLP/protobuf request undecoded (a
   * store that decodes off the event loop). Resolves true once its spans are durable; false when
   * the caller should decode it and call consume() after all (bad input, an overloaded or busy
   * pipeline, anything but the usual case).
   */
  consumeOtlpProto?(body: Uint8Array): Promise<boolean>;
}

export interface Lifecycle {
  start?(): Promise<void>;
  /** Stops taking new work and drains what was accepted. */
  shutdown?(): Promise<void>;
}

export interface Receiver extends Lifecycle {
  /** Where the receiver listens, once started, for logs and tests (e.g. "127.0.0.1:4318"). */
  readonly address?: string;
}
export interface Processor extends Consumer, Lifecycle {}
export interface Exporter extends Consumer, Lifecycle {}

export interface ComponentContext {
  logger: Logger;
  /** The name of the component in the config, e.g. "otlp" or "otlp/2". */
  id: string;
}

/** A component kind: one folder exports one factory and registers it in `registry.ts`. */
export interface Factory<C, T> {
  readonly type: string;
  createDefaultConfig(): C;
  create(config: C, ctx: ComponentContext, next: Consumer): T;
}

export type ReceiverFactory<C = unknown> = Factory<C, Receiver>;
export type ProcessorFactory<C = unknown> = Factory<C, Processor>;
/** Exporters are the end of a pipeline, so their `next` is unused. */
export type ExporterFactory<C = unknown> = Factory<C, Exporter>;
