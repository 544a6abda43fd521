/**
 * The HTTP connection to ClickHouse, over `@clickhouse/client`: it talks to 18.16 fine as long
 * as nothing uses query parameters (18.16 rejects `param_*` settings), so every call here is a
 * plain statement plus, for INSERTs, a RowBinary body. Errors name the server by its URL without
 * the password, and say whether it was unreachable, refused the credentials, or failed the query.
 */
import { Readable } from 'node:stream';
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import { checkDatabaseName } from './sql.js';

export interface ClickHouseTarget {
  /** Where requests go: protocol, host and port only. */
  origin: string;
  username: string;
  password: string;
  database: string;
  /** The URL as messages show it: user but never the password. */
  display: string;
}

/** Parses `http[s]://[user[:password]@]host[:port][/database]` (database defaults to skein). */
export function parseClickHouseUrl(url: string): ClickHouseTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--clickhouse: "${url}" is not a URL like http://127.0.0.1:8123/skein`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`--clickhouse: ${u.protocol}// is not supported; use ClickHouse's HTTP interface (http:// or https://)`);
  }
  const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  const database = checkDatabaseName(path || 'skein');
  const username = decodeURIComponent(u.username) || 'default';
  const password = decodeURIComponent(u.password);
  const origin = `${u.protocol}//${u.host}`;
  const display = `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}/${database}`;
  return { origin, username, password, database, display };
}

/** ClickHouse error codes for a user it does not know or a wrong password (18.16 and later). */
const AUTH_CODES = new Set([192, 193, 194, 516]);

export class ClickHouseError extends Error {}

export class ClickHouseConnection {
  private readonly client: ClickHouseClient;

  constructor(readonly target: ClickHouseTarget) {
    this.client = createClient({
      url: target.origin,
      username: target.username,
      password: target.password,
      request_timeout: 120_000,
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  /** Runs a statement that returns nothing worth reading (DDL, ALTER). */
  async command(sql: string): Promise<void> {
    await this.run(sql, undefined, 'statement');
  }

  /**
   * Runs a SELECT and returns its whole answer (the SQL ends with its FORMAT). wait_end_of_query
   * makes the server finish before answering, so a failure mid-query is an HTTP error rather
   * than an error text in the middle of a RowBinary body.
   */
  async query(sql: string): Promise<Buffer> {
    return this.run(sql, undefined, 'query');
  }

  /** Sends rows (already in the statement's FORMAT) as the request body; resolves once inserted. */
  async insert(sql: string, body: Buffer): Promise<void> {
    await this.run(sql, body, 'insert');
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async run(sql: string, body: Buffer | undefined, what: string): Promise<Buffer> {
    try {
      const res = await this.client.exec({
        query: sql,
        ...(body ? { values: Readable.from([body]) } : {}),
        clickhouse_settings: what === 'query' ? { wait_end_of_query: 1 } : {},
      });
      const chunks: Buffer[] = [];
      for await (const chunk of res.stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (err) {
      throw this.explain(err, what, sql);
    }
  }

  /** An error that says which server, what went wrong, and never shows the password. */
  private explain(err: unknown, what: string, sql: string): ClickHouseError {
    const e = err as { code?: string | number; message?: string };
    const hide = (s: string): string => (this.target.password ? s.split(this.target.password).join('***') : s);
    const msg = hide(String(e.message ?? err).trim());
    const at = `ClickHouse at ${this.target.display}`;
    const numeric = Number(/^Code: (\d+)/.exec(msg)?.[1] ?? e.code);
    let text: string;
    if (typeof e.code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|EPIPE)$/.test(e.code)) {
      text = `${at} is unreachable (${msg})`;
    } else if (/timeout/i.test(msg) && !/^Code:/.test(msg)) {
      text = `${at} did not answer in time (${msg})`;
    } else if (AUTH_CODES.has(numeric)) {
      text = `${at} refused user "${this.target.username}": ${msg}`;
    } else {
      const head = sql.length > 200 ? `${sql.slice(0, 200)}...` : sql;
      text = `${at}: ${what} failed: ${msg} [${hide(head)}]`;
    }
    return new ClickHouseError(text, { cause: err });
  }
}
