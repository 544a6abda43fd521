/** What spans need from the SDK that made them: limits, the end-of-span sink, warn-once. */

import type { GuardOptions, SpanLimits } from './options.js';
import type { SkeinSpan } from './span.js';
import type { Scope } from '@skein/model';

export interface Core {
  limits: SpanLimits;
  guard: GuardOptions;
  /** Spans started and not yet ended (a leak shows here and in the metrics). */
  open: number;
  onEnd(span: SkeinSpan): void;
  /** Logs `message` the first time `key` is seen. */
  warnOnce(key: string, message: string): void;
}

/** Per-tracer state shared by its spans. */
export interface ScopeState {
  core: Core;
  scope: Scope;
  component: string;
}
