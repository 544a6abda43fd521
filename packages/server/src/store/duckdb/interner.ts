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
  /** The scope's attributes as encodeAttributes writes them (its row's `attrs`). */
  attrs: string;
  scope: Scope;
}

/** Entries as stored, for a copy of the interner in another thread (ingest-worker.ts). */
export interface InternedRows {
  keys: Array<[number, string]>;
  names: Array<[number, string]>;
  resources: Array<{ id: number; service: string; attrs: string; dropped: number; schemaUrl: string }>;
  scopes: Array<{ id: number; name: string; version: string; attrs: string; dropped: number; schemaUrl: string }>;
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
      this.restoreResource({ id: Number(id), service: service as string, attrs: attrs as string, dropped: Number(dropped), schemaUrl: schemaUrl as string });
    }
    const ss = await conn.runAndReadAll(`SELECT id, name, version, attrs, dropped, schema_url FROM scopes`);
    for (const [id, name, version, attrs, dropped, schemaUrl] of ss.getRows()) {
      this.restoreScope({ id: Number(id), name: name as string, version: version as string, attrs: attrs as string, dropped: Number(dropped), schemaUrl: schemaUrl as string });
    }
  }

  /** Adds entries stored elsewhere: rows loaded from the file, or sent by the writer's thread. */
  restore(rows: InternedRows): void {
    for (const [id, key] of rows.keys) this.keys.restore(id, key);
    for (const [id, name] of rows.names) this.names.restore(id, name);
    for (const r of rows.resources) this.restoreResource(r);
    for (const s of rows.scopes) this.restoreScope(s);
  }

  /** Everything stored (not the pending entries, which may yet be rolled back), as rows for restore(). */
  snapshot(): InternedRows {
    const pendingResources = new Set(this.pendingResources);
    const pendingScopes = new Set(this.pendingScopes);
    return {
      keys: this.keys.dictionary.entries(),
      names: this.names.entries(),
      resources: [...this.resources.values()].filter((e) => !pendingResources.has(e)).map(resourceRow),
      scopes: [...this.scopes.values()].filter((e) => !pendingScopes.has(e)).map(scopeRow),
    };
  }

  /** The pending entries as rows for restore(), before commit() forgets which they are. */
  pendingRows(): InternedRows {
    return {
      keys: this.keys.dictionary.pending.map(({ id, text }) => [id, text]),
      names: this.names.pending.map(({ id, text }) => [id, text]),
      resources: this.pendingResources.map(resourceRow),
      scopes: this.pendingScopes.map(scopeRow),
    };
  }

  private restoreResource(row: InternedRows['resources'][number]): void {
    const resource: Resource = { attributes: decodeAttributes(row.attrs), droppedAttributesCount: row.dropped, schemaUrl: row.schemaUrl };
    const e = { id: row.id, service: row.service, svc: this.names.idOf(row.service, true)!, attrs: row.attrs, resource };
    this.resources.set(e.id, e);
    this.resourceIds.set(resourceKey(e.attrs, resource), e.id);
    this.nextResource = Math.max(this.nextResource, e.id + 1);
  }

  private restoreScope(row: InternedRows['scopes'][number]): void {
    const scope: Scope = { name: row.name, version: row.version, attributes: decodeAttributes(row.attrs), droppedAttributesCount: row.dropped, schemaUrl: row.schemaUrl };
    this.scopes.set(row.id, { id: row.id, attrs: row.attrs, scope });
    this.scopeIds.set(scopeKey(row.attrs, scope), row.id);
    this.nextScope = Math.max(this.nextScope, row.id + 1);
  }

  /** The resource's entry if it has one; never makes one (for a copy that must not). */
  knownResource(r: Resource): ResourceEntry | undefined {
    const seen = this.seenResources.get(r);
    const entry = seen === undefined ? undefined : this.resources.get(seen);
    if (entry) return entry;
    const id = this.resourceIds.get(resourceKey(encodeAttributes(r.attributes), r));
    if (id === undefined) return undefined;
    this.seenResources.set(r, id);
    return this.resources.get(id);
  }

  /** The scope's id if it has one; never makes one. */
  knownScope(s: Scope): number | undefined {
    const seen = this.seenScopes.get(s);
    if (seen !== undefined && this.scopes.has(seen)) return seen;
    const id = this.scopeIds.get(scopeKey(encodeAttributes(s.attributes), s));
    if (id !== undefined) this.seenScopes.set(s, id);
    return id;
  }

  resourceEntry(r: Resource): ResourceEntry {
    const known = this.knownResource(r);
    if (known) return known;
    // New: its attributes are encoded a second time, once per resource ever.
    const attrs = encodeAttributes(r.attributes);
    const id = this.nextResource++;
    const resource: Resource = { attributes: decodeAttributes(attrs), droppedAttributesCount: r.droppedAttributesCount, schemaUrl: r.schemaUrl };
    const service = serviceName(r);
    const e = { id, service, svc: this.names.idOf(service, true)!, attrs, resource };
    this.resources.set(id, e);
    this.resourceIds.set(resourceKey(attrs, r), id);
    this.pendingResources.push(e);
    this.seenResources.set(r, id);
    return e;
  }

  scopeId(s: Scope): number {
    const known = this.knownScope(s);
    if (known !== undefined) return known;
    const attrs = encodeAttributes(s.attributes);
    const id = this.nextScope++;
    const scope: Scope = { name: s.name, version: s.version, attributes: decodeAttributes(attrs), droppedAttributesCount: s.droppedAttributesCount, schemaUrl: s.schemaUrl };
    const e = { id, attrs, scope };
    this.scopes.set(id, e);
    this.scopeIds.set(scopeKey(attrs, s), id);
    this.pendingScopes.push(e);
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
      this.scopeIds.delete(scopeKey(e.attrs, e.scope));
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

const resourceRow = (e: ResourceEntry): InternedRows['resources'][number] => ({
  id: e.id,
  service: e.service,
  attrs: e.attrs,
  dropped: e.resource.droppedAttributesCount,
  schemaUrl: e.resource.schemaUrl,
});

const scopeRow = (e: ScopeEntry): InternedRows['scopes'][number] => ({
  id: e.id,
  name: e.scope.name,
  version: e.scope.version,
  attrs: e.attrs,
  dropped: e.scope.droppedAttributesCount,
  schemaUrl: e.scope.schemaUrl,
});
