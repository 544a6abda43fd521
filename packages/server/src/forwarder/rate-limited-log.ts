/** A log line that does not flood: the first failure is logged, then one summary per interval. */
import type { Logger } from 'pino';

export class RateLimitedLog {
  private suppressed = 0;
  private lastAt = 0;
  private failing = false;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
  ) {}

  /** A failure: logged now if the last line is older than the interval, else counted. */
  failure(fields: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    this.failing = true;
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.logger.warn({ ...fields, suppressed: this.suppressed }, msg);
    this.suppressed = 0;
    this.lastAt = now;
  }

  /** Recovery after failures: one line with how many went unlogged. */
  recovered(fields: Record<string, unknown>, msg: string): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.info({ ...fields, suppressed: this.suppressed }, msg);
    this.suppressed = 0;
    this.lastAt = 0;
  }
}
