/**
 * Resources and scopes are few and repeat on every span of a batch, so the store keeps them in
 * their own tables under small integer ids, mirrored here in memory (one process owns the file);
 * so are service and span names (`names`) and attribute keys (`attr_keys`).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Resource, Scope } from '@skein/model';
import { serviceName } from '@skein/model';
import { AttrKeys } from './attr-keys.js';
import { Dictionary } from './dictionary.js';
import { decodeAttributes, encodeAttributes } from './codec.js';

/**
 * Span names given ids; past that, new names are spelled out in the span's `name` column, so
 * that a client putting ids in span names cannot grow the dictionary without bound. Service
 * names always get one (there is one per resource).
 */
export const MAX_NAMES = 50_000;

export interface ResourceEntry {
  id: number;
  service: string;
  /** The service name's id in `names`. */
  svc: number;
  /** Encoded attributes (codec.ts), searched with attributePattern(). */
  attrs: string;
  resource: Resource;
}

export interface ScopeEntry {
  id: number;
  scope: Scope;
}

const resourceKey = (attrs: string, r: Resource): string => `${attrs}\x1c${r.droppedAttributesCount}\x1c${r.schemaUrl}`;
const scopeKey = (attrs: string, s: Scope): string =>
  `${s.name}\x1c${s.version}\x1c${attrs}\x1c${s.droppedAttributesCount}\x1c${s.schemaUrl}`;

export class Interner {
  readonly resources = new Map<number, ResourceEntry>();
  readonly scopes = new Map<number, ScopeEntry>();
  /** The span attribute keys' dictionary (attr-keys.ts). */
  readonly keys = new AttrKeys();
  /** Service and span names (the spans' `svc` and `op` columns). */
  readonly names: Dictionary;
  private readonly resourceIds = new Map<string, number>();
  private readonly scopeIds = new Map<string, number>();
  /** Objects already seen, so a batch's shared Resource is encoded once. */
  private readonly seenResources = new WeakMap<Resource, number>();
  private readonly seenScopes = new WeakMap<Scope, number>();
  private nextResource = 1;
  private nextScope = 1;
  /** Entries made since the last commit(), stored by the writer before spans refer to them. */
  pendingResources: ResourceEntry[] = [];
  pendingScopes: ScopeEntry[] = [];

  constructor(maxNames = MAX_NAMES) {
    this.names = new Dictionary('names', 'name', maxNames);
  }

  async load(conn: DuckDBConnection): Promise<void> {
    await this.keys.load(conn);
    await this.names.load(conn);
    const rs = await conn.runAndReadAll(`SELECT id, service, attrs, dropped, schema_url FROM resources`);
    for (const [id, service, attrs, dropped, schemaUrl] of rs.getRows()) {
      const resource: Resource = { attributes: decodeAttributes(attrs as string), droppedAttributesCount: Number(dropped), schemaUrl: schemaUrl as string };
      const e = { id: Number(id), service: service as string, svc: this.names.idOf(service as string, true)!, attrs: attrs as string, resource };
      this.resources.set(e.id, e);
      this.resourceIds.set(resourceKey(e.attrs, resource), e.id);
      this.nextResource = Math.max(this.nextResource, e.id + 1);
    }
    const ss = await conn.runAndReadAll(`SELECT id, name, version, attrs, dropped, schema_url FROM scopes`);
    for (const [id, name, version, attrs, dropped, schemaUrl] of ss.getRows()) {
      const scope: Scope = {
        name: name as string,
        version: version as string,
        attributes: decodeAttributes(attrs as string),
        droppedAttributesCount: Number(dropped),
        schemaUrl: schemaUrl as string,
      };
      this.scopes.set(Number(id), { id: Number(id), scope });
      this.scopeIds.set(scopeKey(attrs as string, scope), Number(id));
      this.nextScope = Math.max(this.nextScope, Number(id) + 1);
    }
  }

  resourceEntry(r: Resource): ResourceEntry {
    const seen = this.seenResources.get(r);
    const known = seen === undefined ? undefined : this.resources.get(seen);
    if (known) return known;
    const attrs = encodeAttributes(r.attributes);
    const key = resourceKey(attrs, r);
    let id = this.resourceIds.get(key);
    if (id === undefined) {
      id = this.nextResource++;
      const resource: Resource = { attributes: decodeAttributes(attrs), droppedAttributesCount: r.droppedAttributesCount, schemaUrl: r.schemaUrl };
      const service = serviceName(r);
      const e = { id, service, svc: this.names.idOf(service, true)!, attrs, resource };
      this.resources.set(id, e);
      this.resourceIds.set(key, id);
      this.pendingResources.push(e);
    }
    this.seenResources.set(r, id);
    return this.resources.get(id)!;
  }

  scopeId(s: Scope): number {
    const seen = this.seenScopes.get(s);
    if (seen !== undefined && this.scopes.has(seen)) return seen;
    const attrs = encodeAttributes(s.attributes);
    const key = scopeKey(attrs, s);
    let id = this.scopeIds.get(key);
    if (id === undefined) {
      id = this.nextScope++;
      const scope: Scope = { name: s.name, version: s.version, attributes: decodeAttributes(attrs), droppedAttributesCount: s.droppedAttributesCount, schemaUrl: s.schemaUrl };
      const e = { id, scope };
      this.scopes.set(id, e);
      this.scopeIds.set(key, id);
      this.pendingScopes.push(e);
    }
    this.seenScopes.set(s, id);
    return id;
  }

  /** The pending entries are now stored. */
  commit(): void {
    this.keys.dictionary.commit();
    this.names.commit();
    this.pendingResources = [];
    this.pendingScopes = [];
  }

  /** The transaction that would have stored the pending entries failed: forget them. */
  rollback(): void {
    this.keys.rollback();
    this.names.rollback();
    for (const e of this.pendingResources) {
      this.resources.delete(e.id);
      this.resourceIds.delete(resourceKey(e.attrs, e.resource));
    }
    for (const e of this.pendingScopes) {
      this.scopes.delete(e.id);
      this.scopeIds.delete(scopeKey(encodeAttributes(e.scope.attributes), e.scope));
    }
    this.pendingResources = [];
    this.pendingScopes = [];
  }

  /** Ids of resources with an attribute matching one of the encoded patterns. */
  resourcesMatching(patterns: string[]): number[] {
    const ids: number[] = [];
    for (const e of this.resources.values()) if (patterns.some((p) => e.attrs.includes(p))) ids.push(e.id);
    return ids;
  }
}
