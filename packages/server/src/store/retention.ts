/**
 * Periodic retention for a store: drops spans older than `retentionNs` (--retention) and, for
 * stores that can measure themselves, the oldest spans until the store fits `maxBytes`
 * (--max-size). Runs never overlap; failures are logged and retried at the next tick.
 */
import type { Logger } from 'pino';
import { nowNs } from '@skein/model';
import type { Store } from './store.js';

/** A store that can delete its oldest spans until its used size fits a bound (DuckDbStore). */
export interface SizeBoundedStore {
  purgeToSize(maxBytes: number): Promise<number>;
}

export interface RetentionOptions {
  /** Keep spans that started within this many ns before now; undefined keeps all ages. */
  retentionNs?: bigint;
  /** Upper bound on the store's used bytes; undefined means no bound. */
  maxBytes?: number;
  /** Time between runs (default one minute). */
  intervalMs?: number;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => bigint;
}

export interface RetentionResult {
  byAge: number;
  bySize: number;
}

/**
 * A store whose deletes are cheap only at some granularity (ClickHouseStore: whole days) rounds
 * retention's cutoff down to it; spans then live up to one such unit past --retention.
 */
export interface AlignedRetentionStore {
  retentionCutoff(cutoffNs: bigint): bigint;
}

const alignsCutoff = (s: Store): s is Store & AlignedRetentionStore =>
  typeof (s as Partial<AlignedRetentionStore>).retentionCutoff === 'function';

const hasSizeBound = (s: Store): s is Store & SizeBoundedStore =>
  typeof (s as Partial<SizeBoundedStore>).purgeToSize === 'function';

export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionResult> | undefined;

  constructor(
    private readonly store: Store,
    private readonly opts: RetentionOptions,
  ) {
    if (opts.maxBytes !== undefined && !hasSizeBound(store)) {
      opts.logger?.warn('this store cannot bound its size; --max-size is ignored');
    }
  }

  /** Runs now and then every intervalMs; the timer does not keep the process alive. */
  start(): this {
    if (this.timer) return this;
    const tick = (): void => {
      this.runOnce().catch((err: unknown) => this.opts.logger?.error({ err }, 'retention run failed'));
    };
    this.timer = setInterval(tick, this.opts.intervalMs ?? 60_000);
    this.timer.unref();
    tick();
    return this;
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One retention pass (joins the pass in progress, if any). */
  runOnce(): Promise<RetentionResult> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<RetentionResult> {
    const { retentionNs, maxBytes, logger } = this.opts;
    let byAge = 0;
    let bySize = 0;
    if (retentionNs !== undefined) {
      const exact = (this.opts.now ?? nowNs)() - retentionNs;
      const cutoff = alignsCutoff(this.store) ? this.store.retentionCutoff(exact) : exact;
      byAge = await this.store.purgeBefore(cutoff);
      if (byAge) logger?.info({ purged: byAge, cutoffNs: cutoff.toString() }, 'retention: purged spans past the retention period');
    }
    if (maxBytes !== undefined && hasSizeBound(this.store)) {
      bySize = await this.store.purgeToSize(maxBytes);
      if (bySize) logger?.info({ purged: bySize, maxBytes }, 'retention: purged oldest spans to fit the size bound');
    }
    return { byAge, bySize };
  }
}

export const startRetention = (store: Store, opts: RetentionOptions): Retention => new Retention(store, opts).start();

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** Parses a size like `10GB`, `512MiB` or `1000000` (bytes); undefined when it is not one. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = SIZE_UNITS[(m[2] || 'b').toLowerCase()];
  return unit === undefined ? undefined : Math.floor(Number(m[1]) * unit);
}
