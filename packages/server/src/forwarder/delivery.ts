/**
 * One destination's delivery loop: read from its spool cursor, send with retry (never giving up
 * on retryable errors, so nothing is lost while a backend is down), advance the cursor only after
 * the backend accepted. Permanent refusals are dropped, counted and logged without flooding.
 */
import { decodeOtlpProto, type Span } from '@skein/model';
import type { Logger } from 'pino';
import { PermanentError } from '../pipeline/errors.js';
import { withRetry, type RetryOptions } from '../exporters/retry.js';
import type { Sender } from '../exporters/sender.js';
import type { HashRing } from './hash-ring.js';
import { RateLimitedLog } from './rate-limited-log.js';
import type { Cursor, Position } from './spool/cursor.js';
import type { Spool } from './spool/spool.js';

export interface DeliveryStats {
  sentSpans: number;
  sentBatches: number;
  /** Attempts that failed (each retried). */
  failedAttempts: number;
  /** Spans the destination refused for good (4xx other than 429). */
  droppedSpans: number;
  lastError: string;
}

export interface DeliveryOptions {
  retry?: RetryOptions;
  /** Bytes of spool records per send; default 1 MiB. */
  maxBatchBytes?: number;
  /** Requests in flight per destination; default 4. */
  maxInFlight?: number;
  logger: Logger;
}

interface InFlight {
  next: Position;
  settled: boolean;
  failed: unknown;
  done: Promise<void>;
}

export class Delivery {
  readonly stats: DeliveryStats = { sentSpans: 0, sentBatches: 0, failedAttempts: 0, droppedSpans: 0, lastError: '' };
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly log: RateLimitedLog;
  /** When set, only the spans of traces this ring assigns to `cursor.id` are sent here. */
  ring: HashRing | undefined;

  constructor(
    readonly spool: Spool,
    readonly cursor: Cursor,
    public sender: Sender,
    private readonly opts: DeliveryOptions,
  ) {
    this.log = new RateLimitedLog(opts.logger);
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  get id(): string {
    return this.cursor.id;
  }

  start(): void {
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal).catch((err: Error) => {
      this.opts.logger.error({ destination: this.sender.name, err: err.message }, 'delivery loop stopped');
    });
  }

  /** Stops the loop; an in-flight send is cancelled and will be sent again (at-least-once). */
  async stop(): Promise<void> {
    this.abort.abort(new Error('delivery stopped'));
    await this.loop;
    this.loop = undefined;
  }

  /** Replaces the sender (a changed destination), keeping the cursor. */
  async replaceSender(sender: Sender): Promise<void> {
    await this.stop();
    await this.sender.close?.();
    this.sender = sender;
    this.start();
  }

  private async run(signal: AbortSignal): Promise<void> {
    const name = this.sender.name;
    const sender = withRetry(this.sender, {
      maxElapsedMs: Infinity,
      ...this.opts.retry,
      onRetry: (err, delayMs, attempt) => {
        this.stats.failedAttempts++;
        this.stats.lastError = err.message;
        this.log.failure({ destination: name, err: err.message, attempt, retryInMs: Math.round(delayMs) }, 'destination failing; spans stay spooled and will be retried');
      },
    });
    const maxBytes = this.opts.maxBatchBytes ?? 1 << 20;
    const window = Math.max(1, this.opts.maxInFlight ?? 4);
    // Sends in flight, oldest first; the cursor only moves past a settled prefix, so a crash
    // never skips a batch that was not yet accepted.
    const inflight: InFlight[] = [];
    let readPos = this.cursor.pos;
    const commit = () => {
      while (inflight.length > 0 && inflight[0]!.settled) this.spool.advance(this.cursor, inflight.shift()!.next);
    };
    while (!signal.aborted) {
      commit();
      // Only an abort ends a send without settling it; anything else is a bug worth stopping for.
      if (inflight[0]?.failed !== undefined && !signal.aborted) throw inflight[0].failed;
      if (inflight.length < window) {
        const { records, next } = await this.spool.read(readPos, maxBytes);
        if (records.length > 0 || next.seg !== readPos.seg || next.off !== readPos.off) {
          const spans = this.select(records.flatMap((r) => this.decode(r.payload)));
          const item: InFlight = { next, settled: spans.length === 0, failed: undefined, done: Promise.resolve() };
          if (spans.length > 0) {
            item.done = this.sendOne(sender, spans, signal).then(
              () => void (item.settled = true),
              (err: unknown) => void (item.failed = err),
            );
          }
          inflight.push(item);
          readPos = next;
          continue;
        }
      }
      const waits: Promise<void>[] = [];
      if (inflight.length > 0) waits.push(inflight[0]!.done);
      if (inflight.length < window) waits.push(this.spool.waitForData(readPos, signal));
      await Promise.race(waits);
    }
    await Promise.allSettled(inflight.map((i) => i.done));
  }

  /** Resolves once the batch was accepted or dropped as permanent; rejects on abort. */
  private async sendOne(sender: Sender, spans: Span[], signal: AbortSignal): Promise<void> {
    const name = this.sender.name;
    try {
      await sender.send(spans, signal);
      this.stats.sentSpans += spans.length;
      this.stats.sentBatches++;
      this.log.recovered({ destination: name }, 'destination accepting spans again');
    } catch (err) {
      if (!(err instanceof PermanentError)) throw err;
      this.stats.droppedSpans += spans.length;
      this.stats.lastError = err.message;
      this.log.failure({ destination: name, err: err.message, spans: spans.length }, 'destination refused spans for good; dropped them');
    }
  }

  private decode(payload: Uint8Array): Span[] {
    try {
      return decodeOtlpProto(payload).spans;
    } catch (err) {
      // The checksum passed, so this is a codec bug, not disk damage: skip the record, loudly.
      this.opts.logger.error({ destination: this.sender.name, err: (err as Error).message }, 'spool record does not decode; skipped');
      return [];
    }
  }

  private select(spans: Span[]): Span[] {
    const ring = this.ring;
    if (!ring) return spans;
    return spans.filter((s) => ring.owner(s.traceId) === this.cursor.id);
  }
}
