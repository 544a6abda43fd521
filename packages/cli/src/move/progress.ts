/**
 * Progress of long work on stderr: a redrawn bar with rate and ETA on a terminal, a plain line
 * every few seconds otherwise (CI logs), nothing with --quiet.
 */

export class Progress {
  private readonly started = performance.now();
  private last = 0;
  private drawn = false;
  constructor(
    private readonly totalBytes: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {}

  update(bytes: number, spans: number, force = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    const tty = this.stream.isTTY === true;
    if (!force && now - this.last < (tty ? 100 : 2000)) return;
    this.last = now;
    const line = this.line(bytes, spans, now, tty ? (this.stream.columns || 80) - 1 : 0);
    if (tty) this.stream.write(`\r${line}\x1b[K`);
    else this.stream.write(line + '\n');
    this.drawn = tty;
  }

  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
  }

  rate(spans: number): number {
    const s = (performance.now() - this.started) / 1000;
    return s > 0 ? spans / s : 0;
  }

  private line(bytes: number, spans: number, now: number, width: number): string {
    const secs = (now - this.started) / 1000;
    const frac = this.totalBytes > 0 ? Math.min(1, bytes / this.totalBytes) : 0;
    const rate = secs > 0 ? spans / secs : 0;
    const eta = frac > 0 && frac < 1 ? ` eta ${Math.ceil((secs / frac) * (1 - frac))}s` : '';
    const text = ` ${(frac * 100).toFixed(0).padStart(3)}% ${spans.toLocaleString('en-US')} spans ${Math.round(rate).toLocaleString('en-US')} spans/s ${mb(bytes)}/${mb(this.totalBytes)}${eta}`;
    if (width === 0) return `import:${text}`;
    const barW = Math.max(10, Math.min(40, width - text.length - 2));
    const full = Math.round(frac * barW);
    return `[${'█'.repeat(full)}${'░'.repeat(barW - full)}]${text}`.slice(0, width);
  }
}

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
