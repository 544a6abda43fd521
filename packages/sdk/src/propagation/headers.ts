/** Context through HTTP headers and Kubernetes object annotations. */

import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { W3CPropagator } from './w3c.js';

type Headers = Record<string, string | string[] | undefined>;
const w3c = new W3CPropagator();

const setter: TextMapSetter<Record<string, string>> = { set: (c, k, v) => void (c[k] = v) };
const headerGetter: TextMapGetter<Headers> = {
  get: (c, k) => {
    const direct = c[k];
    if (direct !== undefined) return direct;
    for (const h in c) if (h.toLowerCase() === k) return c[h];
    return undefined;
  },
  keys: (c) => Object.keys(c),
};

/** Adds traceparent/tracestate/baggage for `ctx` to `headers` (a new object is returned). */
export function headersWithContext(headers: Record<string, string> = {}, ctx: Context = context.active()): Record<string, string> {
  const out = { ...headers };
  w3c.inject(ctx, out, setter);
  return out;
}

/** The context carried by incoming HTTP headers (node's IncomingHttpHeaders or a plain object). */
export function contextFromHeaders(headers: Headers, base: Context = ROOT_CONTEXT): Context {
  return w3c.extract(base, headers, headerGetter);
}

/** Annotation keys used on Kubernetes objects; the prefix keeps them out of other tools' way. */
export const ANNOTATION_PREFIX = 'trace.skein.dev/';

interface K8sObject {
  metadata?: { annotations?: Record<string, string> | null } | null;
}

/** A copy of `obj` whose metadata.annotations carry `ctx` (`trace.skein.dev/traceparent`, ...). */
export function annotateWithContext<T extends K8sObject>(obj: T, ctx: Context = context.active()): T {
  const annotations: Record<string, string> = { ...(obj.metadata?.annotations ?? {}) };
  for (const k of Object.keys(annotations)) if (k.startsWith(ANNOTATION_PREFIX)) delete annotations[k];
  const carried: Record<string, string> = {};
  w3c.inject(ctx, carried, setter);
  for (const [k, v] of Object.entries(carried)) annotations[ANNOTATION_PREFIX + k] = v;
  return { ...obj, metadata: { ...(obj.metadata ?? {}), annotations } };
}

/** The context carried by a Kubernetes object's annotations (or the annotations map itself). */
export function contextFromAnnotations(objOrAnnotations: K8sObject | Record<string, string>, base: Context = ROOT_CONTEXT): Context {
  const o = objOrAnnotations as K8sObject;
  const ann = (o.metadata !== undefined ? o.metadata?.annotations : objOrAnnotations) ?? {};
  return w3c.extract(base, ann as Record<string, string>, {
    get: (c, k) => c[ANNOTATION_PREFIX + k],
    keys: (c) => Object.keys(c),
  });
}
