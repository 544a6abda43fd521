/** A few reader connections, so queries run in parallel with each other and with ingest. */
import type { DuckDBConnection } from '@duckdb/node-api';

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiters: Array<(c: DuckDBConnection) => void> = [];
  private readonly all: DuckDBConnection[] = [];

  static async create(connect: () => Promise<DuckDBConnection>, size: number): Promise<ConnectionPool> {
    const pool = new ConnectionPool();
    for (let i = 0; i < size; i++) {
      const c = await connect();
      pool.all.push(c);
      pool.idle.push(c);
    }
    return pool;
  }

  get size(): number {
    return this.all.length;
  }

  async use<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = this.idle.pop() ?? (await new Promise<DuckDBConnection>((r) => this.waiters.push(r)));
    try {
      return await fn(c);
    } finally {
      const next = this.waiters.shift();
      if (next) next(c);
      else this.idle.push(c);
    }
  }

  closeAll(): void {
    for (const c of this.all) c.closeSync();
  }
}
