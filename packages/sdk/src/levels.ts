/** Span levels and per-component thresholds (`SKEIN_TRACE_LEVEL=info,storage=debug`). */

export const Level = { off: -1, error: 0, warn: 1, info: 2, debug: 3, trace: 4 } as const;
export type LevelName = Exclude<keyof typeof Level, 'off'>;
export type LevelValue = (typeof Level)[keyof typeof Level];

/** The attribute that carries a span's level; spans without it are `info`. */
export const LEVEL_ATTRIBUTE = 'skein.level';

export function parseLevel(text: string, what = 'level'): LevelValue {
  const v = (Level as Record<string, LevelValue>)[text.trim().toLowerCase()];
  if (v === undefined) {
    throw new Error(`skein: bad ${what} "${text}": expected one of off, error, warn, info, debug, trace`);
  }
  return v;
}

/** Thresholds: a default plus overrides per component (the tracer's name). */
export interface Thresholds {
  fallback: LevelValue;
  byComponent: Map<string, LevelValue>;
}

/** Parses `info,storage=debug,net=warn`; a bare level sets the default. */
export function parseThresholds(text: string | undefined): Thresholds {
  const t: Thresholds = { fallback: Level.info, byComponent: new Map() };
  if (!text) return t;
  for (const part of text.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) t.fallback = parseLevel(p, 'SKEIN_TRACE_LEVEL default');
    else {
      const name = p.slice(0, eq).trim();
      if (name === '') throw new Error(`skein: bad SKEIN_TRACE_LEVEL entry "${p}": missing component name`);
      t.byComponent.set(name, parseLevel(p.slice(eq + 1), `SKEIN_TRACE_LEVEL level for component "${name}"`));
    }
  }
  return t;
}

export function thresholdFor(t: Thresholds, component: string): LevelValue {
  return t.byComponent.get(component) ?? t.fallback;
}

/** A level from an attribute value: a level name or its number; anything else is `info`. */
export function levelOf(v: unknown): LevelValue {
  if (typeof v === 'string') return (Level as Record<string, LevelValue>)[v] ?? Level.info;
  if (typeof v === 'number' && v >= 0 && v <= 4) return v as LevelValue;
  return Level.info;
}
