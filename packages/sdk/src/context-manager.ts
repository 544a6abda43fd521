/** An AsyncLocalStorage context manager, so the active span follows async work. */

import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, ContextManager } from '@opentelemetry/api';

type Listener = (...args: unknown[]) => unknown;
const ADD = ['addListener', 'on', 'once', 'prependListener', 'prependOnceListener'] as const;
const BOUND = Symbol('skein.boundListeners');

/**
 * `base` is what `active()` returns outside any `with()`: ROOT_CONTEXT for isolated traces,
 * the context read from TRACEPARENT for collated ones, so every root span joins the parent.
 */
export class AlsContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  constructor(public base: Context = ROOT_CONTEXT) {}

  active(): Context {
    return this.als.getStore() ?? this.base;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const cb = thisArg == null ? fn : fn.bind(thisArg);
    return this.als.run(ctx, cb as never, ...args) as ReturnType<F>;
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target === 'function') {
      const als = this.als;
      const fn = target as unknown as Listener;
      return function (this: unknown, ...args: unknown[]) {
        return als.run(ctx, () => fn.apply(this, args));
      } as unknown as T;
    }
    if (target instanceof EventEmitter) return this.bindEmitter(ctx, target) as T;
    return target;
  }

  /** Listeners added later run in `ctx`; removal still works with the original function. */
  private bindEmitter(ctx: Context, ee: EventEmitter): EventEmitter {
    const e = ee as EventEmitter & { [BOUND]?: WeakMap<Listener, Listener> };
    if (e[BOUND]) return ee;
    const map = new WeakMap<Listener, Listener>();
    e[BOUND] = map;
    for (const m of ADD) {
      const orig = ee[m].bind(ee) as (ev: string | symbol, l: Listener) => EventEmitter;
      (ee as unknown as Record<string, unknown>)[m] = (ev: string | symbol, l: Listener) => {
        let b = map.get(l);
        if (!b) {
          b = this.bind(ctx, l);
          map.set(l, b);
        }
        return orig(ev, b);
      };
    }
    for (const m of ['removeListener', 'off'] as const) {
      const orig = ee[m].bind(ee) as (ev: string | symbol, l: Listener) => EventEmitter;
      (ee as unknown as Record<string, unknown>)[m] = (ev: string | symbol, l: Listener) => orig(ev, map.get(l) ?? l);
    }
    return ee;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.als.disable();
    return this;
  }
}
