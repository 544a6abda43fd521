/**
 * The Forwarder: a Consumer that acknowledges a batch once the spool holds it, and the set of
 * destinations (one delivery loop each) that drain the spool. Destinations can be added,
 * changed and removed while it runs, keeping spooled data and every listener's connections.
 */
import { encodeOtlpProto, type Span } from '@skein/model';
import type { Logger } from 'pino';
import type { Consumer } from '../pipeline/component.js';
import type { RetryOptions } from '../exporters/retry.js';
import type { Sender } from '../exporters/sender.js';
import { Delivery } from './delivery.js';
import { HashRing, fnv1a } from './hash-ring.js';
import { Spool, type SpoolOptions } from './spool/spool.js';

export interface DestinationSpec {
  /** A stable name (the config key or the URL); the cursor belongs to it. */
  name: string;
  /** What the destination is; a different value under the same name means "changed". */
  url: string;
  /** Consistent-hash group: members of one group split the traces between them. */
  group?: string;
  createSender(): Sender;
}

export interface ForwarderOptions {
  spool: SpoolOptions;
  logger: Logger;
  retry?: RetryOptions;
  maxBatchBytes?: number;
}

export interface ForwarderCounters {
  receivedSpans: number;
  receivedBatches: number;
  refusedSpans: number;
}

interface Entry {
  spec: DestinationSpec;
  delivery: Delivery;
}

/** A file-name-safe cursor id for a destination name. */
export function cursorId(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 48);
  return `${safe}-${fnv1a(name).toString(16).padStart(8, '0')}`;
}

export class Forwarder implements Consumer {
  readonly counters: ForwarderCounters = { receivedSpans: 0, receivedBatches: 0, refusedSpans: 0 };
  readonly destinations = new Map<string, Entry>();
  private reconfiguring: Promise<void> = Promise.resolve();

  private constructor(
    readonly spool: Spool,
    private readonly opts: ForwarderOptions,
  ) {}

  static async open(opts: ForwarderOptions): Promise<Forwarder> {
    return new Forwarder(await Spool.open({ ...opts.spool, logger: opts.spool.logger ?? opts.logger }), opts);
  }

  /** Acknowledged = in the spool (written, fsynced per policy); never waits on a destination. */
  async consume(spans: Span[]): Promise<void> {
    if (spans.length === 0) return;
    try {
      await this.spool.append(encodeOtlpProto(spans), spans.length);
    } catch (err) {
      this.counters.refusedSpans += spans.length;
      throw err;
    }
    this.counters.receivedSpans += spans.length;
    this.counters.receivedBatches++;
  }

  /**
   * Makes the destinations exactly `specs`. New ones start at the oldest retained record when
   * `start` is 'head' (start-up: deliver what a previous run left) or at the end when 'tail'
   * (added while running: spans accepted from now on); a destination with a saved cursor resumes it.
   */
  setDestinations(specs: DestinationSpec[], start: 'head' | 'tail'): Promise<void> {
    const names = new Set<string>();
    for (const s of specs) {
      if (names.has(s.name)) throw new Error(`destination "${s.name}" is configured twice`);
      names.add(s.name);
    }
    const run = this.reconfiguring.then(() => this.apply(specs, start));
    this.reconfiguring = run.catch(() => undefined);
    return run;
  }

  private async apply(specs: DestinationSpec[], start: 'head' | 'tail'): Promise<void> {
    const log = this.opts.logger;
    const wanted = new Map(specs.map((s) => [s.name, s]));
    for (const [name, e] of this.destinations) {
      if (wanted.has(name)) continue;
      await e.delivery.stop();
      await e.delivery.sender.close?.();
      await this.spool.removeCursor(e.delivery.id);
      this.destinations.delete(name);
      log.info({ destination: name }, 'destination removed');
    }
    for (const spec of specs) {
      const e = this.destinations.get(spec.name);
      if (e && e.spec.url === spec.url) {
        e.spec = spec;
        continue;
      }
      const sender = spec.createSender();
      if (e) {
        e.spec = spec;
        await e.delivery.replaceSender(sender);
        log.info({ destination: spec.name, url: spec.url }, 'destination changed');
        continue;
      }
      const cursor = await this.spool.openCursor(cursorId(spec.name), spec.name, start);
      const delivery = new Delivery(this.spool, cursor, sender, {
        logger: log,
        retry: this.opts.retry,
        maxBatchBytes: this.opts.maxBatchBytes,
      });
      this.destinations.set(spec.name, { spec, delivery });
      log.info({ destination: spec.name, url: spec.url }, 'destination added');
    }
    this.assignRings();
    for (const e of this.destinations.values()) if (!e.delivery.running) e.delivery.start();
  }

  /** Members of a group share one ring; a group of one needs none. */
  private assignRings(): void {
    const groups = new Map<string, Delivery[]>();
    for (const e of this.destinations.values()) {
      if (!e.spec.group) {
        e.delivery.ring = undefined;
        continue;
      }
      const g = groups.get(e.spec.group) ?? [];
      g.push(e.delivery);
      groups.set(e.spec.group, g);
    }
    for (const members of groups.values()) {
      const ring = members.length > 1 ? new HashRing(members.map((d) => d.id)) : undefined;
      for (const d of members) d.ring = ring;
    }
  }

  /** Stops every delivery loop and closes the spool (acknowledged data stays on disk). */
  async close(): Promise<void> {
    await this.reconfiguring;
    for (const e of this.destinations.values()) {
      await e.delivery.stop();
      await e.delivery.sender.close?.();
    }
    this.destinations.clear();
    await this.spool.close();
  }
}
